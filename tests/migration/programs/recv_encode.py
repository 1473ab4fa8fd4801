"""A client that checksums messages as bytes: ``(await websocket.recv()).encode()``.

The server sends text; the client wants the UTF-8 bytes, so it decodes (in ``recv()``)
and encodes again. Checked with the opt-in WSU5 rules enabled.
"""
# migration: auto
# rules: WSU101, WSU501
# wsu-args: --extend-select WSU5
# expect-warning: websockets_impl.legacy is deprecated

import asyncio
import hashlib

from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def handler(websocket):
    for text in ["plain ascii", "naïve café", "日本語"]:
        await websocket.send(text)


async def main():
    async with serve(handler, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        async with connect(uri) as websocket:
            for _ in range(3):
                data = (await websocket.recv()).encode()
                print(len(data), "bytes, sha256", hashlib.sha256(data).hexdigest()[:16])


asyncio.run(main())
