"""Price feed: client, fan-out server and Sans-I/O parsers, via the deprecated aliases."""

import asyncio

import websockets.client
import websockets.server
from app.models import ServerConnection  # a database row, not a websocket
from websockets.client import ClientProtocol
from websockets.asyncio.client import connect
from websockets.server import WebSocketServerProtocol
from websockets.asyncio.server import broadcast
from websockets.asyncio.server import serve as start_server
from websockets.uri import parse_uri
import websockets.asyncio.client
import websockets.asyncio.server

SUBSCRIBERS: set[WebSocketServerProtocol] = set()


def client_parser() -> ClientProtocol:
    return ClientProtocol(parse_uri("wss://feed.example.com/"))


def server_parser() -> websockets.server.ServerProtocol:
    return websockets.server.ServerProtocol()


async def fan_out(websocket: WebSocketServerProtocol) -> None:
    SUBSCRIBERS.add(websocket)
    try:
        await websocket.wait_closed()
    finally:
        SUBSCRIBERS.discard(websocket)
        await ServerConnection.forget(websocket.id)


async def pump(uri: str) -> None:
    async with connect(uri) as feed:
        async for tick in feed:
            broadcast(SUBSCRIBERS, tick, raise_exceptions=True)


async def backup(uri: str) -> None:
    async with websockets.asyncio.client.connect(uri, open_timeout=5) as feed:
        await feed.send("resync")


async def main() -> None:
    async with start_server(fan_out, "", 9000):
        await pump("wss://feed.example.com/")
    server = await websockets.asyncio.server.serve(fan_out, "", 9001)
    server.close()
    await asyncio.sleep(0)
