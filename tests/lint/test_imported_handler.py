"""A legacy ``serve()`` whose handler is defined in another module (``units.py``,
``cli/project_index.py``): held back unless the project index shows it takes the
connection only; the handler's module reports WSU301, without a fix."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from lint_plugin.engine import check_source
from lint_plugin.fixes import fix_source
from lint_plugin.model import Applicability, Diagnostic
from lint_plugin.settings import Settings
from tests.lint.indexing import build_index

APP = """\
from handlers import echo
from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def main():
    async with serve(echo, "127.0.0.1", 0) as server:
        async with connect("ws://127.0.0.1:1/") as websocket:
            await websocket.recv()
"""

TWO = "async def echo(websocket, path):\n    await websocket.send(path)\n"
ONE = "async def echo(websocket):\n    await websocket.send(websocket.request.path)\n"


def at(diagnostics: list[Diagnostic], code: str, line: int) -> Diagnostic:
    (found,) = [d for d in diagnostics if d.code == code and d.start.line == line]
    return found


def held(diagnostic: Diagnostic) -> bool:
    fix = diagnostic.fix
    return fix is not None and fix.applicability is Applicability.DISPLAY_ONLY


def with_index(tmp_path: Path, handlers: str) -> Settings:
    (tmp_path / "handlers.py").write_text(handlers, "utf-8")
    (tmp_path / "app.py").write_text(APP, "utf-8")
    index = build_index([tmp_path / "handlers.py", tmp_path / "app.py"], Settings())
    return replace(Settings(), project=index, module_name="app")


def test_without_the_index_an_imported_handler_holds_the_serve_unit() -> None:
    found = check_source(APP).diagnostics
    switch = at(found, "WSU101", 3)
    assert held(switch)
    assert "handler `echo` is imported from `handlers`; its signature can't be checked" in (
        switch.message
    )
    report = at(found, "WSU301", 7)
    assert held(report) and "imported from `handlers`" in report.message
    assert not held(at(found, "WSU101", 2))  # the client moves
    fixed = fix_source(APP, Settings(), unsafe=True).source
    assert "from websockets.legacy.server import serve" in fixed


def test_the_index_names_the_handler_and_its_path_parameter(tmp_path: Path) -> None:
    found = check_source(APP, settings=with_index(tmp_path, TWO)).diagnostics
    switch = at(found, "WSU101", 3)
    assert held(switch)
    assert "handler `echo` is defined in handlers.py and takes `path`" in switch.message
    assert "WSU301 needs a hand edit there" in switch.message
    # One reason, not the same one twice through the WSU301 report.
    assert "more)" not in switch.message


def test_a_one_parameter_imported_handler_holds_nothing(tmp_path: Path) -> None:
    found = check_source(APP, settings=with_index(tmp_path, ONE)).diagnostics
    assert not [d for d in found if d.code == "WSU301"]
    switch = at(found, "WSU101", 3)
    assert switch.fix is not None and switch.fix.applicability is Applicability.UNSAFE
    fixed = fix_source(APP, with_index(tmp_path, ONE), unsafe=True).source
    assert "from websockets.asyncio.server import serve" in fixed


def test_a_handler_that_is_not_a_def_of_the_module_holds_the_unit() -> None:
    source = APP.replace("from handlers import echo\n", "").replace(
        "async def main():", "async def main(echo):"
    )
    found = check_source(source).diagnostics
    assert "handler `echo` is defined elsewhere" in at(found, "WSU101", 2).message


def wsu(tmp_path: Path, *args: str) -> list[dict[str, object]]:
    command = [str(Path(sys.executable).with_name("wsu")), "check", "--no-cache", "--exit-zero"]
    out = subprocess.run(
        [*command, "--output-format", "json", *args], cwd=tmp_path, check=True, capture_output=True
    ).stdout
    return json.loads(out) if out.strip() else []


def test_wsu_check_fix_migrates_the_unit_across_both_modules(tmp_path: Path) -> None:
    (tmp_path / "handlers.py").write_text(TWO, "utf-8")
    (tmp_path / "app.py").write_text(APP, "utf-8")
    (tmp_path / "unrelated.py").write_text("def echo(a, b):\n    pass\n", "utf-8")
    found = {(Path(str(d["filename"])).name, d["code"]) for d in wsu(tmp_path, ".")}
    assert found == {("app.py", "WSU101"), ("handlers.py", "WSU301")}
    wsu(tmp_path, "--fix", "--unsafe-fixes", ".")
    assert "from websockets.asyncio.server import serve" in (tmp_path / "app.py").read_text()
    assert (tmp_path / "handlers.py").read_text() == ONE
    assert wsu(tmp_path, ".") == []


def test_a_handler_module_left_out_of_the_run_holds_the_serve(tmp_path: Path) -> None:
    (tmp_path / "handlers.py").write_text(TWO, "utf-8")
    (tmp_path / "app.py").write_text(APP, "utf-8")
    wsu(tmp_path, "--fix", "--unsafe-fixes", "app.py")
    assert "from websockets.legacy.server import serve" in (tmp_path / "app.py").read_text()
    assert (tmp_path / "handlers.py").read_text() == TWO
    [switch] = [d for d in wsu(tmp_path, "app.py") if d["code"] == "WSU101"]
    assert "handlers.py is not among the files checked" in str(switch["message"])


def test_a_handler_with_another_legacy_use_is_held(tmp_path: Path) -> None:
    shared = TWO + "\n\nasync def twice(websocket, path):\n    await echo(websocket, path)\n"
    (tmp_path / "handlers.py").write_text(shared, "utf-8")
    (tmp_path / "app.py").write_text(APP, "utf-8")
    wsu(tmp_path, "--fix", "--unsafe-fixes", ".")
    assert "from websockets.legacy.server import serve" in (tmp_path / "app.py").read_text()
    assert (tmp_path / "handlers.py").read_text() == shared
    [switch] = [d for d in wsu(tmp_path, ".") if d["code"] == "WSU101"]
    assert "also used at line 6 of handlers.py" in str(switch["message"])
    [remote] = [d for d in wsu(tmp_path, ".") if d["filename"].endswith("handlers.py")]  # type: ignore[union-attr]
    assert "passed to `serve()` in `app`" in str(remote["message"])


def test_diff_shows_both_files_and_safe_fix_holds(tmp_path: Path) -> None:
    (tmp_path / "handlers.py").write_text(TWO, "utf-8")
    (tmp_path / "app.py").write_text(APP, "utf-8")
    command = [str(Path(sys.executable).with_name("wsu")), "check", "--no-cache", "--diff"]
    diff = subprocess.run(
        [*command, "--unsafe-fixes", "."], cwd=tmp_path, capture_output=True, text=True
    ).stdout
    assert "+++ handlers.py" in diff and "+++ app.py" in diff
    assert "+async def echo(websocket):" in diff
    wsu(tmp_path, "--fix", ".")  # safe fixes only: the switch is unsafe, nothing moves
    assert (tmp_path / "handlers.py").read_text() == TWO
    assert "from websockets.legacy.server import serve" in (tmp_path / "app.py").read_text()


def test_fixes_inside_a_held_remote_handler_are_held(tmp_path: Path) -> None:
    handlers = "async def echo(websocket, path):\n    await websocket.send(websocket.path)\n"
    settings = replace(with_index(tmp_path, handlers), module_name="handlers")
    found = check_source(handlers, settings=settings).diagnostics
    remote = at(found, "WSU301", 1)
    assert held(remote) and "passed to `serve()` in `app`" in remote.message
    attribute = at(found, "WSU203", 2)
    assert held(attribute) and "handler of the legacy `serve()` in `app`" in attribute.message
