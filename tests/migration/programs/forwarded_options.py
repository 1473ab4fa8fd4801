"""A client class whose callers choose the connection's options: ``connect(uri,
**self.options)``, and a caller passes the legacy ``extra_headers=``.

The linter cannot see what callers pass, and the new ``connect()`` rejects
``extra_headers=`` (it is ``additional_headers=`` there), so the client's call stays
legacy; the server moves, with its handler's header read.
"""
# migration: manual
# rules: WSU101, WSU204
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import serve


class Client:
    def __init__(self, uri, **options):
        self.uri = uri
        self.options = options

    async def ask(self, text):
        async with connect(self.uri, **self.options) as websocket:
            await websocket.send(text)
            return await websocket.recv()


async def tagged(websocket):
    tag = websocket.request_headers.get("X-Tag", "none")
    async for message in websocket:
        await websocket.send(f"{tag}: {message}")


async def main():
    async with serve(tagged, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        print(await Client(uri).ask("plain"))
        print(await Client(uri, extra_headers={"X-Tag": "blue"}).ask("tagged"))


asyncio.run(main())
