# wsu: extend-select=WSU101,WSU304,WSU404
"""A server held on the legacy implementation keeps `max_queue=` as a hint, no comment."""

import asyncio

from websockets.legacy.server import WebSocketServerProtocol, serve


class CountingProtocol(WebSocketServerProtocol):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, max_queue=4, **kwargs)

    def connection_made(self, transport):
        print("connection made")
        super().connection_made(transport)


async def handler(websocket):
    await websocket.send(await websocket.recv())


async def main() -> None:
    async with serve(handler, "", 8765, create_protocol=CountingProtocol, max_queue=8):
        await asyncio.Future()
