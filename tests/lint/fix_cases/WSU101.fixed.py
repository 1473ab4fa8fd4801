"""Chat relay still written against the legacy implementation."""

import asyncio
import logging

import websockets.legacy.client  # noqa: F401  (registers the plugin's subclasses)
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, broadcast, serve

log = logging.getLogger(__name__)
CLIENTS: set[ServerConnection] = set()


async def relay(websocket: ServerConnection) -> None:
    CLIENTS.add(websocket)
    try:
        async for message in websocket:
            broadcast(CLIENTS, message, raise_exceptions=True)
    finally:
        CLIENTS.discard(websocket)


async def upstream(uri: str) -> None:
    async with connect(uri) as ws:
        async for message in ws:
            broadcast(CLIENTS, message)


async def main() -> None:
    async with serve(relay, "localhost", 8765):
        await asyncio.Future()
