"""``held_shared_handler`` migrated by hand: the handlers take the connection only."""

import asyncio

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve


async def echo(websocket):
    await websocket.send(f"echo {websocket.request.path}")


async def echo_twice(websocket):
    await echo(websocket)
    await echo(websocket)


async def main():
    async with serve(echo, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        for path in ["/east", "/west"]:
            async with connect(f"ws://127.0.0.1:{port}{path}") as websocket:
                print(await websocket.recv())


asyncio.run(main())
