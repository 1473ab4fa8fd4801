"""The semantic model: qualified names through every import form, and connections."""

from __future__ import annotations

import ast
import textwrap

import pytest

from lint_plugin.semantic import SemanticModel
from lint_plugin.settings import Settings


def model(source: str) -> tuple[SemanticModel, ast.Module]:
    source = textwrap.dedent(source)
    tree = ast.parse(source)
    return SemanticModel(tree, source, Settings()), tree


def name_of(source: str, expression: str) -> str | None:
    """Qualified name of the last expression statement, e.g. ``x.y``."""
    m, tree = model(source + f"\n{expression}\n")
    last = tree.body[-1]
    assert isinstance(last, ast.Expr)
    qualname = m.qualified_name(last.value)
    return qualname.canonical if qualname else None


@pytest.mark.parametrize(
    ("imports", "expression", "expected"),
    [
        ("import websockets", "websockets.connect", "websockets.connect"),
        ("import websockets as ws", "ws.serve", "websockets.serve"),
        ("from websockets import client as wc", "wc.connect", "websockets.client.connect"),
        (
            "import websockets.legacy.client",
            "websockets.legacy.client.connect",
            "websockets.legacy.client.connect",
        ),
        ("import websockets.legacy.client as lc", "lc.connect", "websockets.legacy.client.connect"),
        ("from websockets.legacy.server import serve as s", "s", "websockets.legacy.server.serve"),
        ("import websockets_impl as websockets", "websockets.connect", "websockets.connect"),
        (
            "from websockets_impl.asyncio import client",
            "client.connect",
            "websockets.asyncio.client.connect",
        ),
        ("import websockets\nconnect = websockets.connect", "connect", "websockets.connect"),
        ("import websocket", "websocket.create_connection", None),
        ("from . import websockets", "websockets.connect", None),
        ("import websockets\nwebsockets = object()", "websockets.connect", None),
    ],
)
def test_qualified_names(imports: str, expression: str, expected: str | None) -> None:
    assert name_of(imports, expression) == expected


def test_local_variable_shadows_the_module() -> None:
    m, tree = model(
        """
        import websockets
        def f(websockets):
            return websockets.connect
        """
    )
    ret = tree.body[1].body[0]  # type: ignore[attr-defined]
    assert m.qualified_name(ret.value) is None


def test_custom_module_names() -> None:
    source = "import mylib.legacy.client\nmylib.legacy.client.connect\n"
    tree = ast.parse(source)
    m = SemanticModel(tree, source, Settings(modules=("mylib",)))
    qualname = m.qualified_name(tree.body[1].value)  # type: ignore[attr-defined]
    assert qualname is not None
    assert qualname.canonical == "websockets.legacy.client.connect"
    assert qualname.root == "mylib"


def connections(source: str) -> set[str]:
    """Source text of every attribute base that is a connection."""
    source = textwrap.dedent(source)
    tree = ast.parse(source)
    m = SemanticModel(tree, source, Settings())
    return {
        ast.unparse(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "open" and m.is_connection(node.value)
    }


def test_connect_forms() -> None:
    assert connections(
        """
        import asyncio
        from websockets.asyncio.client import connect
        async def a():
            async with connect("ws://x") as ws1:
                ws1.open
            ws2 = await connect("ws://x")
            ws2.open
            async for ws3 in connect("ws://x"):
                ws3.open
            ws4 = await asyncio.wait_for(connect("ws://x"), 1)
            ws4.open
            other.open
        """
    ) == {"ws1", "ws2", "ws3", "ws4"}


def test_handler_forms() -> None:
    assert connections(
        """
        import functools
        import websockets
        async def direct(a): a.open
        async def partial_handler(db, b): b.open; db.open
        async def via_lambda(c, extra): c.open
        class Server:
            async def method(self, d): d.open
            def run(self):
                return websockets.serve(self.method)
        handler = direct
        websockets.serve(handler)
        websockets.serve(functools.partial(partial_handler, None))
        websockets.serve(lambda ws: via_lambda(ws, 1))
        """
    ) == {"a", "b", "c", "d"}


def test_instance_method_handler_needs_inference() -> None:
    assert connections(
        """
        import websockets
        class Bridge:
            async def handler(self, ws):
                ws.open
        def main():
            bridge = Bridge()
            websockets.serve(bridge.handler, "localhost", 1)
        """
    ) == {"ws"}


def test_annotations_and_attributes() -> None:
    assert connections(
        """
        from typing import Optional
        import websockets
        from websockets.asyncio.client import ClientConnection, connect
        def a(x: ClientConnection, y: "websockets.ServerConnection", z: Optional[ClientConnection],
              w: ClientConnection | None, n: int):
            x.open; y.open; z.open; w.open; n.open
        class Client:
            async def start(self):
                self.ws = await connect("ws://x")
            def check(self):
                return self.ws.open and self.other.open
        """
    ) == {"x", "y", "z", "w", "self.ws"}


def test_many_string_annotations_each_resolve_on_their_own() -> None:
    """A string annotation is parsed apart from the module: the model's caches keyed by node
    ids must not answer for one parsed node what they answered for a freed one."""
    kinds = ['"websockets.ServerConnection"', '"int"', '"Optional[websockets.Server]"', '"str"']
    defs = [
        f"def f{i}(c{i}: {kinds[i % 4]}, s{i}: {kinds[(i + 1) % 4]}):\n"
        f"    c{i}.open; s{i}.open; s{i}.websockets.open\n"
        for i in range(200)
    ]
    source = "from typing import Optional\nimport websockets\n" + "".join(defs)
    expected = {f"c{i}" for i in range(0, 200, 4)} | {f"s{i}" for i in range(3, 200, 4)}
    assert connections(source) == expected


def test_lookalikes_are_not_connections() -> None:
    assert (
        connections(
            """
        import aiohttp
        async def main(session: aiohttp.ClientSession, path):
            async with session.ws_connect("ws://x") as ws:
                ws.open
            f = open(path)
            f.open
        """
        )
        == set()
    )
