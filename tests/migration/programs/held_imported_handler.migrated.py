"""``held_imported_handler`` migrated by hand: the handler takes the connection only."""

import asyncio

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve


async def echo(websocket):
    await websocket.send(f"echo {websocket.request.path}")


async def main():
    async with serve(echo, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        for path in ["/north", "/south"]:
            async with connect(f"ws://127.0.0.1:{port}{path}") as websocket:
                print(await websocket.recv())


asyncio.run(main())
