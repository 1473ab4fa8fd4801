"""A server whose noqa comment outlived the code it silenced.

The handler once read ``websocket.open``; the comment stayed after the check went away.
With the opt-in WSU5 rules, WSU505 reports the stale code and its fix removes the
comment, while the legacy imports move to the new implementation.
"""
# migration: auto
# rules: WSU101, WSU505
# wsu-args: --extend-select WSU5
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def handler(websocket):
    async for message in websocket:  # noqa: WSU201
        await websocket.send(message[::-1])


async def main():
    async with serve(handler, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        async with connect(uri) as websocket:
            for text in ["stale", "noqa"]:
                await websocket.send(text)
                print(await websocket.recv())


asyncio.run(main())
