"""`loop=` on a legacy call made outside a coroutine (pygls's `start_ws`): without it, the
legacy `serve()` takes the current event loop, not the one given, so it stays (hint only);
in a coroutine it is the running loop, and goes."""

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import serve


class LanguageServer:
    def __init__(self, loop=None):
        self.loop = loop or asyncio.new_event_loop()

    async def handler(self, websocket):
        await websocket.send("ready")

    def start_ws(self, host, port):
        start_server = serve(self.handler, host, port, loop=self.loop)
        self.loop.run_until_complete(start_server)


async def probe(uri):
    async with connect(uri, loop=asyncio.get_running_loop()) as websocket:
        return await websocket.recv()
