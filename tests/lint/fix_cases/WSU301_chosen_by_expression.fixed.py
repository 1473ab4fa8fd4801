"""A server whose handler is picked at start-up."""

import functools
import os

from websockets.asyncio.server import serve

VERBOSE = os.environ.get("VERBOSE")


async def verbose_echo(websocket):
    async for message in websocket:
        await websocket.send(f"{websocket.request.path}: {message}")


async def quiet_echo(websocket):
    async for message in websocket:
        await websocket.send(message)


async def room_echo(websocket, path, room):
    # ``path`` is not the last parameter: no fix, only the diagnostic.
    await websocket.send(f"{room}{path}")


async def main():
    async with serve(verbose_echo if VERBOSE else quiet_echo, "localhost", 8765):
        pass
    async with serve(functools.partial(room_echo, room="lobby"), "localhost", 8766):
        pass
