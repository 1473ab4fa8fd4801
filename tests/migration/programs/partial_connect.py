"""A client whose connect() is prepared once with ``functools.partial``.

``functools.partial(connect, extra_headers=..., open_timeout=5)`` binds the legacy
arguments; the server echoes the header it received; the client checks that its connection
is open and reads the echo.
"""
# migration: auto
# rules: WSU101, WSU201, WSU204, WSU401
# expect-warning: websockets_impl.legacy is deprecated

import asyncio
import functools

from websockets.legacy.client import connect
from websockets.legacy.server import serve

open_connection = functools.partial(connect, extra_headers={"X-Token": "s3cr3t"}, open_timeout=5)


async def handler(websocket):
    token = websocket.request_headers["X-Token"]
    async for message in websocket:
        await websocket.send(f"{message} with token {token}")


async def main():
    async with serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        async with open_connection(f"ws://127.0.0.1:{port}/") as ws:
            print("open:", ws.open)
            await ws.send("hello")
            print(await ws.recv())


asyncio.run(main())
