"""``Connect`` imported under another name (``import Connect as WSConnect``): the call is
the legacy ``connect()``, and the import's switch rewrites the alias to the new
``connect()``, so the call moves with its ``extra_headers=``.
"""
# migration: auto
# rules: WSU101, WSU304, WSU401
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from websockets.asyncio.server import serve
from websockets.legacy.client import Connect as WSConnect


async def tagged(websocket):
    tag = websocket.request.headers.get("X-Tag", "none")
    async for message in websocket:
        await websocket.send(f"{tag}: {message}")


async def main():
    async with serve(tagged, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        connection = WSConnect(uri, extra_headers={"X-Tag": "green"}, open_timeout=5)
        async with connection as websocket:
            await websocket.send("hello")
            print(await websocket.recv())


asyncio.run(main())
