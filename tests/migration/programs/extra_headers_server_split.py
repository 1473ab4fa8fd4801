"""``extra_headers`` on ``serve()`` naming ``Server`` along with other headers.

The legacy server sends the given ``Server`` instead of its default and adds the other
headers to the handshake response. The fix splits them: ``server_header=`` for
``Server``, a generated ``process_response`` for the rest. The client prints what it got.
"""
# migration: auto
# rules: WSU101, WSU205, WSU402
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import serve

VERSION = "2.4"


async def hello(websocket):
    await websocket.send("hello")


async def main():
    async with serve(
        hello,
        "127.0.0.1",
        0,
        extra_headers={"Server": f"feed/{VERSION}", "X-Frame-Options": "DENY"},
    ) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}/") as websocket:
            await websocket.recv()
            headers = websocket.response_headers
            print(headers.get_all("Server"), headers.get_all("X-Frame-Options"))


asyncio.run(main())
