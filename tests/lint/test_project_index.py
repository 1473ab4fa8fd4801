"""The project index: a handler defined in one module and passed to serve() in another."""

from __future__ import annotations

import ast
from pathlib import Path

from lint_plugin.cli import project_index, project_units
from lint_plugin.context import Context
from lint_plugin.rules.wsu301_handler_path_argument import check as wsu301
from lint_plugin.semantic import SemanticModel
from lint_plugin.semantic.project import module_name, other_uses
from lint_plugin.settings import Settings
from tests.lint.indexing import build_index

HANDLERS = """\
import logging

async def handler(ws, path):
    logging.info("%s %s", ws.open, path)

async def unused(ws, path):
    logging.info("%s %s", ws.open, path)
"""

MAIN = """\
from websockets.asyncio.server import serve
from .handlers import handler

async def main():
    async with serve(handler, "localhost", 0):
        pass
"""

LEGACY_MAIN = """\
import websockets.legacy.server
import pkg.handlers

async def main():
    await websockets.legacy.server.serve(pkg.handlers.handler, "localhost", 0)
"""

PROTOCOLS = """\
from websockets.legacy.server import WebSocketServerProtocol

class Proto(WebSocketServerProtocol):
    pass

class Plain:
    pass

def helper(a, b=1, *args, c):
    return a
"""


def project(tmp_path: Path, main: str) -> list[Path]:
    package = tmp_path / "pkg"
    package.mkdir()
    files = {
        "__init__.py": "",
        "handlers.py": HANDLERS,
        "main.py": main,
        "protocols.py": PROTOCOLS,
    }
    for name, text in files.items():
        (package / name).write_text(text, "utf-8")
    return sorted(package.glob("*.py"))


def test_module_names(tmp_path: Path) -> None:
    paths = project(tmp_path, MAIN)
    assert [module_name(p) for p in paths] == ["pkg", "pkg.handlers", "pkg.main", "pkg.protocols"]
    (tmp_path / "script.py").write_text("", "utf-8")
    assert module_name(tmp_path / "script.py") == "script"


def test_index_records_definitions_and_uses(tmp_path: Path) -> None:
    index = build_index(project(tmp_path, MAIN), Settings())
    [use] = index.callbacks_for("pkg.handlers")
    assert (use.module, use.name, use.role, use.legacy, use.used_in) == (
        "pkg.handlers",
        "handler",
        "handler",
        False,
        "pkg.main",
    )
    assert index.callbacks_for("pkg.main") == []
    proto = index.definition("pkg.protocols", "Proto")
    plain = index.definition("pkg.protocols", "Plain")
    helper = index.definition("pkg.protocols", "helper")
    assert proto is not None and proto.legacy
    assert plain is not None and not plain.legacy
    assert helper is not None and helper.params == ("a", "b")


def test_attribute_of_an_imported_module_and_legacy_serve(tmp_path: Path) -> None:
    index = build_index(project(tmp_path, LEGACY_MAIN), Settings())
    [use] = index.callbacks_for("pkg.handlers")
    assert (use.name, use.legacy) == ("handler", True)


def test_model_sees_a_handler_passed_to_serve_elsewhere(tmp_path: Path) -> None:
    index = build_index(project(tmp_path, MAIN), Settings())
    tree = ast.parse(HANDLERS)
    alone = SemanticModel(tree, HANDLERS, Settings())
    assert alone.callbacks == []
    model = SemanticModel(tree, HANDLERS, Settings(), project=index, module_name="pkg.handlers")
    assert [getattr(c.target.function, "name", "") for c in model.callbacks] == ["handler"]
    handler, unused = (node for node in tree.body if isinstance(node, ast.AsyncFunctionDef))
    reads = [n for n in ast.walk(handler) if isinstance(n, ast.Attribute)]
    assert any(r.attr == "open" and model.is_connection(r.value) for r in reads)
    unused_reads = [n for n in ast.walk(unused) if isinstance(n, ast.Attribute)]
    assert not any(model.is_connection(r.value) for r in unused_reads)


def test_wsu301_on_the_defining_module(tmp_path: Path) -> None:
    index = build_index(project(tmp_path, MAIN), Settings())
    tree = ast.parse(HANDLERS)
    ctx = Context(tree, HANDLERS, Settings(), project=index, module_name="pkg.handlers")
    found = [(d.code, d.start.line) for d in wsu301(ctx)]
    assert found == [("WSU301", 3)]
    other_module = Context(tree, HANDLERS, Settings(), project=index, module_name="pkg.other")
    assert list(wsu301(other_module)) == []


APP = """\
from handlers import echo
from websockets.legacy.server import serve

async def main():
    async with serve(echo, "localhost", 0):
        pass
"""

HELD_APP = APP.replace(
    "from handlers import echo\n", "from handlers import echo\nfrom protocols import Proto\n"
).replace('"localhost", 0)', '"localhost", 0, create_protocol=Proto)')


def plan_for(tmp_path: Path, files: dict[str, str]) -> project_units.Plan:
    for name, text in files.items():
        (tmp_path / name).write_text(text, "utf-8")
    paths = sorted(tmp_path.glob("*.py"))
    settings = Settings()
    index, taking_part = project_index.build(
        (p, p.read_text("utf-8"), settings) for p in paths if "serve" in p.read_text("utf-8")
    )
    members = [project_units.Member(p, p.name, p.read_text("utf-8"), settings) for p in paths]
    return project_units.plan(index, taking_part, members, unsafe=True)


def test_a_unit_across_modules_is_fixed_in_both_files_and_tied(tmp_path: Path) -> None:
    handlers = "async def echo(websocket, path):\n    await websocket.send(path)\n"
    plan = plan_for(tmp_path, {"handlers.py": handlers, "app.py": APP})
    assert plan.index.migrating == {("handlers", "echo")}
    fixed = {path.name: result.source for path, result in plan.fixed.items()}
    assert "async def echo(websocket):" in fixed["handlers.py"]
    assert "websockets.asyncio.server import serve" in fixed["app.py"]
    assert {p.name for p in plan.tied[tmp_path.resolve() / "app.py"]} == {"app.py", "handlers.py"}


def test_a_handler_whose_other_serve_stays_legacy_is_held(tmp_path: Path) -> None:
    handlers = "async def echo(websocket, path):\n    await websocket.send(path)\n"
    files = {"handlers.py": handlers, "app.py": APP, "other.py": HELD_APP}
    plan = plan_for(tmp_path, files)
    assert plan.index.migrating == frozenset() and plan.fixed == {}
    assert "the one in `other` stays on the legacy" in plan.index.held[("handlers", "echo")]


def test_other_uses_of_a_handler() -> None:
    source = "import handlers\nfrom websockets.legacy.server import serve\n"
    source += "serve(handlers.echo, 'h', 0)\nhandlers.echo(None, '/')\n"
    tree = ast.parse(source)
    assert other_uses(tree, source, Settings(), "app", ("handlers", "echo")) == [4]
