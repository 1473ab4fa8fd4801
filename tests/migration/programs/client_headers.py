"""A client identifying itself with ``extra_headers``: ``User-Agent`` only, then more.

The server reports the request headers it saw (``request_headers``), which shows
both the custom ``User-Agent`` and the additional ``X-Request-Id`` header.
"""
# migration: auto
# rules: WSU101, WSU204, WSU401
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def handler(websocket):
    headers = websocket.request_headers
    await websocket.send(
        f"user-agent={headers.get_all('User-Agent')} request-id={headers.get('X-Request-Id')}"
    )


async def main():
    async with serve(handler, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        async with connect(uri, extra_headers={"User-Agent": "probe/1.0"}) as websocket:
            print("probe:", await websocket.recv())
        async with connect(
            uri, extra_headers={"User-Agent": "worker/2.1", "X-Request-Id": "req-7"}
        ) as websocket:
            print("worker:", await websocket.recv())


asyncio.run(main())
