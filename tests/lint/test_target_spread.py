"""The target version never hides a finding, and a fix never writes what the target lacks.

Every fix case and fixture is linted and fixed (unsafe fixes included) at a spread of
target versions. At each one:

- every finding reported at the newest version is still reported (from 14.0, where the
  top-level aliases are the new implementation, WSU104 reports only a ``serve()`` made
  outside a coroutine);
- a finding whose replacement is newer than the target says so and offers nothing to apply;
- what the applied fixes introduce (imported modules and names, attributes, keyword
  arguments) exists at the target, per ``ADDED_IN`` below, written from the upstream API
  facts and the deprecation table (``replacement_since``, ``NEW_ASYNCIO_SINCE``). A name a
  fix introduces that the table does not know fails the test: the table must say when it
  appeared.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from lint_plugin.engine import check_source
from lint_plugin.fixes import fix_source
from lint_plugin.model import Diagnostic
from lint_plugin.rules import RULES_BY_CODE
from lint_plugin.settings import NEWEST_VERSION, Settings, format_version
from lint_plugin.upgrade import waiting_for

HERE = Path(__file__).parent
INPUTS = sorted(
    [p for p in (HERE / "fix_cases").glob("WSU*.py") if not p.name.endswith(".fixed.py")]
    + sorted((HERE / "fixtures").glob("*.py")),
    key=lambda p: (p.parent.name, p.name),
)
TARGETS = [(9, 1), (10, 4), (11, 0), (12, 0), (13, 0), (13, 1), (14, 0), (14, 2), (15, 0)]
TARGETS.append(NEWEST_VERSION)
ROOTS = ("websockets", "websockets_impl")

#: When each thing a fix may write first exists. Keys: ``import:<module>`` and
#: ``import:<module>.<name>`` (root spelled ``websockets``), ``attr:<name>``, ``kw:<name>``.
ADDED_IN: dict[str, tuple[int, ...]] = {
    # The new asyncio implementation (13.0) and what only it has.
    "import:websockets.asyncio": (13, 0),
    "import:websockets.asyncio.client": (13, 0),
    "import:websockets.asyncio.server": (13, 0),
    "import:websockets.asyncio.connection": (13, 0),
    "import:websockets.asyncio.client.connect": (13, 0),
    "import:websockets.asyncio.client.unix_connect": (13, 0),
    "import:websockets.asyncio.client.ClientConnection": (13, 0),
    "import:websockets.asyncio.server.serve": (13, 0),
    "import:websockets.asyncio.server.unix_serve": (13, 0),
    "import:websockets.asyncio.server.broadcast": (13, 0),
    "import:websockets.asyncio.server.basic_auth": (13, 0),
    "import:websockets.asyncio.server.Server": (13, 0),
    "import:websockets.asyncio.server.ServerConnection": (13, 0),
    "import:websockets.asyncio.connection.Connection": (13, 0),
    "attr:request": (13, 0),
    "attr:response": (13, 0),
    "attr:respond": (13, 0),
    "attr:body": (13, 0),
    "attr:connections": (13, 1),
    "kw:additional_headers": (13, 0),
    "kw:user_agent_header": (13, 0),
    "kw:server_header": (13, 0),
    "kw:process_response": (13, 0),
    "kw:create_connection": (13, 0),
    "kw:handler": (13, 0),
    "kw:decode": (13, 0),
    "kw:raise_exceptions": (13, 0),
    "kw:process_request": (13, 0),
    "kw:select_subprotocol": (13, 0),
    # Arguments of basic_auth(), which WSU411 writes.
    "kw:realm": (13, 0),
    "kw:credentials": (13, 0),
    "kw:check_credentials": (13, 0),
    # Top-level names of the new classes: 14.2 (the deprecation table's replacement_since).
    "import:websockets.ClientConnection": (14, 2),
    "import:websockets.ServerConnection": (14, 2),
    "import:websockets.Server": (14, 2),
    # Sans-I/O: websockets.protocol (State) and the *Protocol classes since 11.0.
    "import:websockets.protocol": (11, 0),
    "import:websockets.protocol.State": (11, 0),
    "import:websockets.protocol.State.OPEN": (11, 0),
    "import:websockets.protocol.State.CLOSED": (11, 0),
    "import:websockets.protocol.Protocol": (11, 0),
    "import:websockets.client.ClientProtocol": (11, 0),
    "import:websockets.server.ServerProtocol": (11, 0),
    "import:websockets.http11": (10, 0),
    "import:websockets.exceptions.InvalidStatus": (10, 0),
    "import:websockets.InvalidStatus": (10, 0),
    "attr:rcvd": (10, 0),
    "attr:status_code": (10, 0),
    # Moves of 9.0 (http, framing, parse_uri, WebSocketURI).
    "import:websockets.datastructures": (9, 0),
    "import:websockets.datastructures.Headers": (9, 0),
    "import:websockets.datastructures.MultipleValuesError": (9, 0),
    "import:websockets.frames": (9, 0),
    "import:websockets.uri": (9, 0),
    "import:websockets.uri.parse_uri": (9, 0),
    "import:websockets.uri.WebSocketURI": (9, 0),
    "import:websockets.exceptions.ProtocolError": (8, 0),
    "attr:local_address": (8, 0),
    "attr:remote_address": (8, 0),
    "import:websockets.ProtocolError": (8, 0),
    "kw:close_timeout": (7, 0),
    # As old as the legacy implementation itself.
    "import:websockets": (3, 0),
    "import:websockets.exceptions": (3, 0),
    "import:websockets.exceptions.ConnectionClosed": (3, 0),
    "import:websockets.client": (3, 0),
    "import:websockets.server": (3, 0),
    "attr:transport": (3, 0),
    "attr:get_extra_info": (3, 0),
    "attr:path": (3, 0),
    "attr:headers": (3, 0),
    "attr:state": (3, 0),
    "attr:OPEN": (3, 0),
    "attr:CLOSED": (3, 0),
    "attr:code": (3, 0),
    "attr:reason": (3, 0),
    "attr:decode": (3, 0),
    "attr:update": (3, 0),
    "attr:setdefault": (3, 0),
}


def _canonical(module: str) -> str:
    head, dot, rest = module.partition(".")
    return f"websockets{dot}{rest}" if head in ROOTS else module


def _module_names(tree: ast.AST) -> dict[str, str]:
    """Names bound to the package or its modules: ``import websockets as ws`` -> ws."""
    bound = {root: root for root in ROOTS}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name.split(".")[0] in ROOTS:
                    bound[alias.asname] = alias.name
        elif _imports_from_package(node):
            assert isinstance(node, ast.ImportFrom)
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return bound


def _imports_from_package(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.ImportFrom)
        and node.level == 0
        and node.module is not None
        and node.module.split(".")[0] in ROOTS
    )


def _chain(node: ast.Attribute, bound: dict[str, str]) -> list[str] | None:
    """``websockets.asyncio.server.serve`` -> its parts, when rooted at the package."""
    parts: list[str] = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        parts.insert(0, current.attr)
        current = current.value
    if isinstance(current, ast.Name) and current.id in bound:
        return [*bound[current.id].split("."), *parts]
    return None


def _introduced(tree: ast.AST) -> set[str]:
    """Imports of the websockets package (and chains into it), attributes and keywords."""
    found: set[str] = set()
    in_chains: set[int] = set()
    bound = _module_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node) not in in_chains:
            parts = _chain(node, bound)
            if parts is not None:
                # Each prefix of the chain is a module or name of the package.
                found |= {
                    f"import:{_canonical('.'.join(parts[:n]))}" for n in range(2, len(parts) + 1)
                }
                inner: ast.expr = node
                while isinstance(inner, ast.Attribute):
                    in_chains.add(id(inner))
                    inner = inner.value
                continue
        if isinstance(node, ast.Attribute) and id(node) in in_chains:
            continue
        if isinstance(node, ast.Import):
            found |= {
                f"import:{_canonical(a.name)}" for a in node.names if a.name.split(".")[0] in ROOTS
            }
        elif _imports_from_package(node):
            assert isinstance(node, ast.ImportFrom) and node.module is not None
            module = _canonical(node.module)
            found |= {f"import:{module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Attribute):
            found.add(f"attr:{node.attr}")
        elif isinstance(node, ast.keyword) and node.arg is not None:
            found.add(f"kw:{node.arg}")
    return found


@cache
def _diagnostics(path: Path, target: tuple[int, ...]) -> tuple[Diagnostic, ...]:
    result = check_source(path.read_text("utf-8"), settings=_settings(target))
    assert result.syntax_error is None
    return tuple(result.diagnostics)


def _settings(target: tuple[int, ...]) -> Settings:
    return Settings(target_version=target, extend_select=("WSU5",))


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_findings_never_disappear_below_the_newest_version(path: Path) -> None:
    newest = {(d.start.line, d.code) for d in _diagnostics(path, NEWEST_VERSION)}
    for target in TARGETS:
        found = _diagnostics(path, target)
        at_target = {(d.start.line, d.code) for d in found}
        # Before 14.0 a top-level `websockets.connect` is the legacy implementation: on its
        # line, WSU104 stands for what the new one's rules say at 14.0 and later.
        legacy_alias = {d.start.line for d in found if d.code == "WSU104"}
        missing = sorted(
            (line, code) for line, code in newest - at_target if line not in legacy_alias
        )
        assert missing == [], f"target {format_version(target)} hides {missing}"
        if target >= (14, 0):
            # There only a ``serve()`` made outside a coroutine (the legacy idiom) is one.
            assert all("made outside a coroutine" in d.message for d in found if d.code == "WSU104")


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_waiting_findings_name_the_version_and_offer_nothing_to_apply(path: Path) -> None:
    for target in TARGETS:
        for diagnostic in _diagnostics(path, target):
            needed = waiting_for(diagnostic.message)
            fix_from = RULES_BY_CODE[diagnostic.code].spec.fix_from
            if target < fix_from:
                assert needed == fix_from, diagnostic.message
            if needed is not None:
                assert needed > target
                assert diagnostic.fix is None or not diagnostic.fix.is_applicable(unsafe=True)


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixes_only_write_what_the_target_has(path: Path) -> None:
    source = path.read_text("utf-8")
    before = _introduced(ast.parse(source))
    for target in TARGETS:
        if not any(d.fix and d.fix.is_applicable(unsafe=True) for d in _diagnostics(path, target)):
            continue
        result = fix_source(source, _settings(target), unsafe=True)
        new = _introduced(ast.parse(result.source)) - before
        unknown = sorted(name for name in new if name not in ADDED_IN)
        assert unknown == [], f"{path.name}: fixes write {unknown}; add them to ADDED_IN"
        too_new = sorted(
            f"{name} (from {format_version(ADDED_IN[name])})"
            for name in new
            if ADDED_IN[name] > target
        )
        assert too_new == [], f"target {format_version(target)}: fixes write {too_new}"


def test_the_spread_exercises_fixes_below_13() -> None:
    """The fixes that work on the legacy implementation are applied on old targets."""
    handler = (
        "import websockets\n"
        "\n"
        "async def handler(websocket, path):\n"
        "    await websocket.send(path)\n"
        "\n"
        "async def main():\n"
        "    try:\n"
        '        async with websockets.serve(handler, "", 8765, timeout=3):\n'
        "            pass\n"
        "    except websockets.ConnectionClosed as exc:\n"
        "        print(exc.code)\n"
    )
    result = fix_source(handler, Settings(target_version=(10, 4)), unsafe=True)
    assert set(result.applied) == {"WSU301", "WSU208", "WSU406"}
    assert "async def handler(websocket):\n    await websocket.send(websocket.path)" in (
        result.source
    )
    assert "exc.rcvd.code if exc.rcvd else 1006" in result.source
    assert "close_timeout=3" in result.source
    # Still reported: the top-level serve() is the legacy implementation on 10.4.
    [waiting] = [d for d in result.remaining if d.code == "WSU104"]
    assert waiting.message.endswith("(needs websockets >= 13.0; this project runs 10.4)")
