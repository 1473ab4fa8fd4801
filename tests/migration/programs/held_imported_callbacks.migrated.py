"""Hand migration of held_imported_callbacks.py (with its _room_gate module's callbacks)."""

import asyncio
import http

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve
from websockets.exceptions import InvalidHandshake


async def gate(connection, request):
    if request.path != "/chat":
        return connection.respond(http.HTTPStatus.NOT_FOUND, "no such room\n")


async def room(websocket):
    await websocket.send("joined the chat")


async def main():
    print("rooms guarded by", gate.__name__)
    async with serve(room, "127.0.0.1", 0, process_request=gate) as server:
        port = server.sockets[0].getsockname()[1]
        for path in ["/chat", "/attic"]:
            try:
                async with connect(f"ws://127.0.0.1:{port}{path}") as websocket:
                    print(path, await websocket.recv())
            except InvalidHandshake as exc:
                print(path, "refused:", "404" in str(exc))


asyncio.run(main())
