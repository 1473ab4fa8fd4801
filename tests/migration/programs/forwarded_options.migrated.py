"""forwarded_options, migrated by hand: the caller passes `additional_headers=`, the name
the new `connect()` takes, and both calls move."""

import asyncio

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve


class Client:
    def __init__(self, uri, **options):
        self.uri = uri
        self.options = options

    async def ask(self, text):
        async with connect(self.uri, **self.options) as websocket:
            await websocket.send(text)
            return await websocket.recv()


async def tagged(websocket):
    tag = websocket.request.headers.get("X-Tag", "none")
    async for message in websocket:
        await websocket.send(f"{tag}: {message}")


async def main():
    async with serve(tagged, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        print(await Client(uri).ask("plain"))
        print(await Client(uri, additional_headers={"X-Tag": "blue"}).ask("tagged"))


asyncio.run(main())
