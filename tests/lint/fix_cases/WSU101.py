"""Chat relay still written against the legacy implementation."""

import asyncio
import logging

import websockets.legacy.client  # noqa: F401  (registers the plugin's subclasses)
from websockets.legacy.client import connect
from websockets.legacy.server import (
    WebSocketServerProtocol,
    broadcast,
    serve,
    unix_serve,
)

log = logging.getLogger(__name__)
CLIENTS: set[WebSocketServerProtocol] = set()


async def relay(websocket: WebSocketServerProtocol) -> None:
    CLIENTS.add(websocket)
    try:
        async for message in websocket:
            broadcast(CLIENTS, message, True)
    finally:
        CLIENTS.discard(websocket)


async def upstream(uri: str) -> None:
    async with connect(uri) as ws:
        async for message in ws:
            broadcast(CLIENTS, message)


async def main() -> None:
    async with serve(relay, "localhost", 8765):
        await asyncio.Future()
