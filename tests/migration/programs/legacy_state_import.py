"""A client checking its connection's state with ``State`` from the legacy protocol module.

``from websockets.legacy.protocol import State`` is the same ``State`` as
``websockets.protocol.State``: the fix imports it from there, and ``isinstance``,
``is State.OPEN`` and ``State(3)`` keep working on the new connection.
"""
# migration: auto
# rules: WSU101
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.protocol import State
from websockets.legacy.server import serve


async def handler(websocket):
    await websocket.send("hello")
    await websocket.wait_closed()


async def main():
    async with serve(handler, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        async with connect(uri) as websocket:
            print(await websocket.recv())
            print("a State:", isinstance(websocket.state, State))
            print("open:", websocket.state is State.OPEN)
        print("closed:", websocket.state is State(3), State(3).name)


asyncio.run(main())
