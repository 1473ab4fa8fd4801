"""Chat relay on the legacy implementation, with uses no fix can migrate: nothing moves."""

import asyncio
import logging

import websockets.legacy.client
from websockets.legacy.auth import basic_auth_protocol_factory
from websockets.legacy.client import connect
from websockets.legacy.exceptions import AbortHandshake
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


async def probe(uri: str) -> None:
    async with websockets.legacy.client.connect(uri) as ws:
        await ws.ping()


def reject(reason: str) -> None:
    raise AbortHandshake(403, [], reason.encode())


async def main() -> None:
    auth = basic_auth_protocol_factory(realm="relay", credentials=("bot", "secret"))
    async with serve(relay, "localhost", 8765, create_protocol=auth):
        await asyncio.Future()
