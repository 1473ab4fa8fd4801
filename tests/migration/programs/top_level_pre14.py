"""Code written for websockets 13: the top-level ``websockets.serve`` and ``connect``.

Before 14.0 these names were the legacy implementation; run against 13.x (see
``--target-version``) wsu moves them to ``websockets.asyncio.*``. The program itself
only uses what both implementations share, so it runs unchanged on 14.0 and later,
where the top-level names already are the new implementation.
"""
# migration: auto
# rules: WSU104
# wsu-args: --target-version 13.1

import asyncio

import websockets


async def uppercase(websocket):
    async for message in websocket:
        await websocket.send(message.upper())


async def main():
    async with websockets.serve(uppercase, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        async with websockets.connect(uri) as websocket:
            for text in ["thirteen", "fourteen"]:
                await websocket.send(text)
                print(text, "->", await websocket.recv())


asyncio.run(main())
