"""``units._Anchors.node_of``: the node a diagnostic is tied to, found from the node a
rule reported (``Context.reported``) or from the statements holding its line, as a scan of
every node of the module finds it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lint_plugin import units
from lint_plugin.context import Context
from lint_plugin.model import Diagnostic
from lint_plugin.rules import ALL_RULES
from lint_plugin.settings import Settings

ROOT = Path(__file__).resolve().parents[2]

#: Spans shared by nested nodes (a call statement), a finding ending on another node
#: (WSU302's signature), decorators, statements sharing a line, and f-strings whose parts
#: repeat their position.
SAMPLE = """\
import http
import websockets
from websockets.legacy.protocol import WebSocketCommonProtocol
from websockets.exceptions import ConnectionClosed


def deco(value):
    return lambda function: function


class Protocol(WebSocketCommonProtocol):
    @deco(websockets.legacy)
    async def recv(self):
        return await super().recv()


async def process_request(path, request_headers):
    if path == "/health":
        return http.HTTPStatus.OK, [], b"OK"


async def handler(websocket, path):
    websocket.open
    print(f"{websocket.closed} {websocket.open=}", f"{path!r:>{websocket.port}}")
    try:
        await websocket.send(path)
    except ConnectionClosed as exc:
        print(f"{exc.code}", exc.reason)


async def main():
    async with websockets.serve(
        handler, process_request=process_request, create_protocol=Protocol, timeout=3
    ):
        pass

LEGACY = websockets.legacy; CLIENT = (
    websockets.legacy.client)
"""


def first_node(ctx: Context, diagnostic: Diagnostic) -> ast.AST | None:
    """The first node in walk order spanning the diagnostic's range, else the first one
    starting where it does: what ``node_of`` answers, from every node of the module."""
    start, end = diagnostic.start, diagnostic.end
    starting = [
        n
        for n in ctx.nodes
        if getattr(n, "lineno", None) == start.line and n.col_offset == start.column  # type: ignore[attr-defined]
    ]
    for node in starting:
        if (node.end_lineno, node.end_col_offset) == (end.line, end.column):  # type: ignore[attr-defined]
            return node
    return starting[0] if starting else None


def anchored(
    source: str,
) -> list[tuple[Diagnostic, ast.AST | None, ast.AST | None, ast.AST | None]]:
    """Each finding's node from the reported nodes (``None`` when they cannot tell), from
    the nodes of its line, and from every node of the module."""
    settings = Settings(select=("WSU",))
    ctx = Context(ast.parse(source), source, settings)
    found = [d for rule in ALL_RULES for d in rule.check(ctx)]
    anchors = units._Anchors(ctx, {d.start.line for d in found})
    reported = ctx.reported
    ctx.reported = {}
    pairs = []
    for diagnostic in found:
        start, end = diagnostic.start, diagnostic.end
        node = reported.get((start.line, start.column, end.line, end.column))
        fast = anchors._reported(node, end) if node is not None else None
        indexed = anchors.node_of(diagnostic)
        pairs.append((diagnostic, fast, indexed, first_node(ctx, diagnostic)))
    ctx.reported = reported
    return pairs


@pytest.mark.parametrize(
    "path",
    [
        None,
        *sorted((ROOT / "tests/lint/fixtures").glob("*.py")),
        *sorted((ROOT / "tests/lint/corpus").glob("*.py")),
    ],
    ids=lambda p: "sample" if p is None else p.name,
)
def test_the_reported_node_and_the_line_give_the_first_node(path: Path | None) -> None:
    source = SAMPLE if path is None else path.read_text(encoding="utf-8")
    pairs = anchored(source)
    for diagnostic, fast, indexed, first in pairs:
        where = (diagnostic.code, diagnostic.start, diagnostic.end)
        assert indexed is first, where
        if fast is not None:
            assert fast is first, where


def test_the_sample_reaches_every_kind_of_span() -> None:
    pairs = anchored(SAMPLE)
    codes = {d.code for d, node, _, _ in pairs if node is not None}
    assert {"WSU201", "WSU302", "WSU304"} <= codes
    # Inside an f-string, the index is asked.
    assert any(node is None and d.code == "WSU202" for d, node, _, _ in pairs)
    # A statement and its call share a span: the statement comes first in walk order.
    assert any(isinstance(node, ast.Expr) for _, node, _, _ in pairs)
    # A finding ending elsewhere than its node (a signature) still finds a node.
    assert all(node is not None for d, node, _, _ in pairs if d.code == "WSU302")
