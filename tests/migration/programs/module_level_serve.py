"""The tutorial's server: ``serve()`` made at module level and run with
``loop.run_until_complete()``.

The legacy ``serve()`` makes its object without a running event loop; the new one raises
RuntimeError there. So the server stays legacy (its handler's ``path`` with it) while the
client, made in a coroutine, moves.
"""
# migration: manual
# rules: WSU101, WSU301
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: remove second argument of ws_handler

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def hello(websocket, path):
    name = await websocket.recv()
    await websocket.send(f"Hello {name} at {path}!")


async def greet(port):
    async with connect(f"ws://127.0.0.1:{port}/lobby") as websocket:
        await websocket.send("Ada")
        print(await websocket.recv())


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
start_server = serve(hello, "127.0.0.1", 0)
server = loop.run_until_complete(start_server)
loop.run_until_complete(greet(server.sockets[0].getsockname()[1]))
server.close()
loop.run_until_complete(server.wait_closed())
loop.close()
