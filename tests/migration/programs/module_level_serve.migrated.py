"""module_level_serve, migrated by hand: the server is made in a coroutine, run by
``asyncio.run()``, and the handler reads the path from its request."""

import asyncio

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve


async def hello(websocket):
    name = await websocket.recv()
    await websocket.send(f"Hello {name} at {websocket.request.path}!")


async def greet(port):
    async with connect(f"ws://127.0.0.1:{port}/lobby") as websocket:
        await websocket.send("Ada")
        print(await websocket.recv())


async def main():
    async with serve(hello, "127.0.0.1", 0) as server:
        await greet(server.sockets[0].getsockname()[1])


asyncio.run(main())
