"""One ``serve()`` whose every dependent use has a fix: the whole unit moves at once.

The call passes a handler taking ``(websocket, path)``, a protocol subclass extending
``send``, ``extra_headers``, and a legacy ``select_subprotocol`` reading the server's list.
Each has its own fix; together with the import switch they are applied as one unit, so
the server never runs half migrated.
"""
# migration: auto
# rules: WSU101, WSU205, WSU301, WSU303, WSU304, WSU402, WSU404
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: remove second argument of ws_handler

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import WebSocketServerProtocol, serve

SENT = []


class CountingServer(WebSocketServerProtocol):
    async def send(self, message):
        SENT.append(message)
        await super().send(message)


def pick(client_subprotocols, server_subprotocols):
    return next((p for p in server_subprotocols if p in client_subprotocols), None)


async def echo(websocket, path):
    async for message in websocket:
        await websocket.send(f"{path} {websocket.subprotocol}: {message}")


async def main():
    async with serve(
        echo,
        "127.0.0.1",
        0,
        create_protocol=CountingServer,
        extra_headers={"X-Unit": "whole"},
        subprotocols=["v2", "v1"],
        select_subprotocol=pick,
    ) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}/room", subprotocols=["v1", "v2"]) as ws:
            await ws.send("hi")
            print(await ws.recv(), ws.response_headers["X-Unit"])
    print("sent:", SENT)


asyncio.run(main())
