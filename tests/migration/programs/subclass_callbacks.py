"""A server protocol subclass whose overrides become functions passed to ``serve()``.

``RoomProtocol`` overrides ``process_request`` (refusing unknown rooms, remembering the
room on the connection, then deferring to the default) and ``select_subprotocol``
(picking the newest version the client offers). It is installed with
``create_protocol=``. The fix turns both overrides into module-level functions, ``self``
being the connection, and passes them as ``process_request=`` / ``select_subprotocol=``.
"""
# migration: auto
# rules: WSU101, WSU302, WSU303, WSU304, WSU404
# expect-warning: websockets_impl.legacy is deprecated

import asyncio
import http

from websockets.exceptions import InvalidHandshake
from websockets.legacy.client import connect
from websockets.legacy.server import WebSocketServerProtocol, serve

ROOMS = {"/lobby", "/kitchen"}


class RoomProtocol(WebSocketServerProtocol):
    async def process_request(self, path, request_headers):
        if path not in ROOMS:
            return http.HTTPStatus.NOT_FOUND, [("X-Rooms", ",".join(sorted(ROOMS)))], b""
        self.room = path[1:]
        return await super().process_request(path, request_headers)

    def select_subprotocol(self, client_subprotocols, server_subprotocols):
        versions = [p for p in client_subprotocols if p.startswith("room.v")]
        return max(versions, default=None)


async def handler(websocket):
    await websocket.send(f"welcome to {websocket.room} ({websocket.subprotocol})")


async def main():
    async with serve(
        handler,
        "127.0.0.1",
        0,
        create_protocol=RoomProtocol,
        subprotocols=["room.v1", "room.v2"],
    ) as server:
        port = server.sockets[0].getsockname()[1]
        for path, offer in [("/lobby", ["room.v1", "room.v2"]), ("/kitchen", ["room.v1"])]:
            async with connect(f"ws://127.0.0.1:{port}{path}", subprotocols=offer) as ws:
                print(path, "->", await ws.recv())
        try:
            async with connect(f"ws://127.0.0.1:{port}/attic"):
                pass
        except InvalidHandshake as exc:
            print("/attic ->", exc)


asyncio.run(main())
