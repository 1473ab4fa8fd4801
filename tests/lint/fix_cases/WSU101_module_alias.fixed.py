# wsu: target-version=14.0
"""schwab-py and tda-api: `import websockets.legacy.client as ws_client`. The new module is
imported under the same name and the names read through it renamed."""

import asyncio

import websockets.asyncio.client as ws_client
import websockets.asyncio.server as ws_server


class Stream:
    socket: ws_client.ClientConnection | None = None

    async def start(self, uri: str) -> None:
        self.socket = await ws_client.connect(uri)
        await self.socket.send("login")


async def handler(websocket):
    await websocket.send("hello")


async def serve() -> None:
    async with ws_server.serve(handler, "localhost", 0):
        await asyncio.sleep(1)


def announce(connections: set) -> None:
    ws_server.broadcast(connections, "x", raise_exceptions=True)
