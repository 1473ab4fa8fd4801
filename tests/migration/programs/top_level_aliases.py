"""Type checks and annotations through the deprecated top-level aliases.

A small registry of connections annotated with ``websockets.WebSocketServerProtocol``,
``websockets.WebSocketClientProtocol`` and ``websockets.WebSocketServer``, with
``isinstance`` checks against them and ``websockets.WebSocketCommonProtocol``.
"""
# migration: auto
# rules: WSU101, WSU103
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: websockets_impl.WebSocketServerProtocol is deprecated
# expect-warning: websockets_impl.WebSocketClientProtocol is deprecated
# expect-warning: websockets_impl.WebSocketServer is deprecated
# expect-warning: websockets_impl.WebSocketCommonProtocol is deprecated

import asyncio

import websockets
from websockets.legacy.client import connect
from websockets.legacy.server import serve


def describe(connection):
    kinds = []
    if isinstance(connection, websockets.WebSocketServerProtocol):
        kinds.append("server side")
    if isinstance(connection, websockets.WebSocketClientProtocol):
        kinds.append("client side")
    if isinstance(connection, websockets.WebSocketCommonProtocol):
        kinds.append("a connection")
    return " and ".join(kinds) or "not a connection"


async def handler(websocket: websockets.WebSocketServerProtocol) -> None:
    await websocket.send(f"the server sees {describe(websocket)}")


async def main() -> None:
    server: websockets.WebSocketServer
    async with serve(handler, "127.0.0.1", 0) as server:
        print("server object is a WebSocketServer:", isinstance(server, websockets.WebSocketServer))
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        client: websockets.WebSocketClientProtocol
        async with connect(uri) as client:
            print(await client.recv())
            print(f"the client sees {describe(client)}")
            print("a string is", describe("ws://example.com/"))


asyncio.run(main())
