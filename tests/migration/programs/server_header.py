"""A server naming itself with ``extra_headers={"Server": ...}``.

The client reads the ``Server`` header of the handshake response from
``response_headers``.
"""
# migration: auto
# rules: WSU101, WSU205, WSU402
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def handler(websocket):
    await websocket.send("hello from bulletin")


async def main():
    async with serve(handler, "127.0.0.1", 0, extra_headers={"Server": "bulletin/2.0"}) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        async with connect(uri) as websocket:
            print(await websocket.recv())
            print("server:", websocket.response_headers.get_all("Server"))


asyncio.run(main())
