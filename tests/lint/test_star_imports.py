"""Star imports of websockets: the names they bind are followed, and no fix is applied
next to one (which names one binds depends on the version installed)."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest

from lint_plugin.engine import check_source
from lint_plugin.fixes import fix_source
from lint_plugin.semantic import SemanticModel
from lint_plugin.settings import Settings, parse_version
from tests.lint.test_fix_convergence import SOURCES, _settings

FIX_CASES = sorted(name for name in SOURCES if name.startswith("fix_cases/"))
FIXTURES = Path(__file__).parent / "fixtures"


def _qualified(source: str, name: str, occurrence: int = 0) -> str | None:
    """What the ``occurrence``-th read of ``name`` names."""
    model = SemanticModel(ast.parse(source), source, Settings())
    reads = [
        node
        for node in ast.walk(model.tree)
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
    ]
    reads.sort(key=lambda node: (node.lineno, node.col_offset))
    qualname = model.qualified_name(reads[occurrence])
    return qualname.canonical if qualname is not None else None


def test_a_module_level_read_sees_the_star_imports_above_it() -> None:
    source = (
        "from websockets.legacy.client import *\n"
        "first = connect\n"
        "from websockets.asyncio.client import *\n"
        "second = connect\n"
        "def later():\n"
        "    return connect\n"
    )
    assert _qualified(source, "connect", 0) == "websockets.legacy.client.connect"
    assert _qualified(source, "connect", 1) == "websockets.asyncio.client.connect"
    # A function runs after every import of the module.
    assert _qualified(source, "connect", 2) == "websockets.asyncio.client.connect"


def test_no_star_import_above_a_module_level_read_binds_nothing() -> None:
    source = "early = connect\nfrom websockets import *\n"
    assert _qualified(source, "connect") is None


def test_the_module_that_has_the_name_is_preferred() -> None:
    source = (
        "from websockets.legacy.server import *\n"
        "from websockets.exceptions import *\n"
        "def main():\n"
        "    return serve, ConnectionClosed, unknown\n"
    )
    assert _qualified(source, "serve") == "websockets.legacy.server.serve"
    assert _qualified(source, "ConnectionClosed") == "websockets.exceptions.ConnectionClosed"
    # Known nowhere: the last star import (no rule knows it either way).
    assert _qualified(source, "unknown") == "websockets.exceptions.unknown"


def test_bound_names_and_builtins_are_not_star_names() -> None:
    source = (
        "from websockets import *\n"
        "def main(connect):\n"
        "    return connect, open, len\n"
        "serve = None\n"
        "def other():\n"
        "    return serve\n"
    )
    assert _qualified(source, "connect") is None
    assert _qualified(source, "open") is None
    assert _qualified(source, "len") is None
    assert _qualified(source, "serve") is None


def test_other_modules_star_imports_are_not_followed() -> None:
    source = "import websockets\nfrom os.path import *\ndef main():\n    return join\n"
    assert _qualified(source, "join") is None


@pytest.mark.parametrize("target", ["12.0", "13.1", "14.0", "17.4"])
def test_every_version_reports_the_star_names(target: str) -> None:
    """The handler of the star-imported `serve` takes `path`: legacy code for every target
    (legacy `serve` before 14.0, the new one after)."""
    source = (
        "from websockets import *\n"
        "async def handler(websocket, path):\n"
        "    await websocket.send(path)\n"
        "async def main():\n"
        "    async with serve(handler, 'localhost', 8765):\n"
        "        pass\n"
    )
    settings = Settings(target_version=parse_version(target))
    codes = [d.code for d in check_source(source, settings=settings).diagnostics]
    assert "WSU301" in codes


@pytest.mark.parametrize("name", FIX_CASES)
def test_a_star_import_keeps_every_finding_and_withholds_every_fix(name: str) -> None:
    """Each fix case with a star import of websockets added at its end: the same findings
    at the same places (the names it binds are all bound already), none fixed, and the
    hints say why."""
    source = SOURCES[name].read_text("utf-8")
    starred = source + "\nfrom websockets.datastructures import *\n"
    settings = _settings(source)
    before = check_source(source, settings=settings).diagnostics
    after = check_source(starred, settings=settings).diagnostics
    assert {(d.code, d.start) for d in before} <= {(d.code, d.start) for d in after}
    fixed = fix_source(starred, settings, unsafe=True)
    assert fixed.source == starred
    assert not fixed.applied
    for diagnostic in after:
        if diagnostic.fix is not None:
            assert not diagnostic.fix.edits
            assert "not applied next to `from websockets.datastructures import *`" in (
                diagnostic.fix_title or ""
            )


@pytest.mark.parametrize("fixture", ["wsu_star_names.py", "wsu_star_names_13.py"])
@pytest.mark.parametrize("target", ["12.0", "17.4"])
def test_the_star_fixtures_are_never_rewritten(fixture: str, target: str) -> None:
    source = (FIXTURES / fixture).read_text("utf-8")
    settings = replace(_settings(source), target_version=parse_version(target))
    result = check_source(source, settings=settings)
    assert result.diagnostics
    assert fix_source(source, settings, unsafe=True).source == source
