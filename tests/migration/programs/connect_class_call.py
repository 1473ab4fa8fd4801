"""A client calling the legacy ``Connect`` class itself: ``Connect(uri, ...)`` is the legacy
``connect()`` under its class name (nonebot2's driver). The import's switch renames it to
the new ``connect()``, so the call moves with its ``extra_headers=``.
"""
# migration: auto
# rules: WSU101, WSU304, WSU401
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from websockets.asyncio.server import serve
from websockets.legacy.client import Connect


async def tagged(websocket):
    tag = websocket.request.headers.get("X-Tag", "none")
    async for message in websocket:
        await websocket.send(f"{tag}: {message}")


async def main():
    async with serve(tagged, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        connection = Connect(uri, extra_headers={"X-Tag": "green"}, open_timeout=5)
        async with connection as websocket:
            await websocket.send("hello")
            print(await websocket.recv())


asyncio.run(main())
