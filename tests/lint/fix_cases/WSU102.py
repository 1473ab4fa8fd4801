"""Price feed: client, fan-out server and Sans-I/O parsers, via the deprecated aliases."""

import asyncio

import websockets.client
import websockets.server
from app.models import ServerConnection  # a database row, not a websocket
from websockets.client import ClientConnection, connect
from websockets.server import WebSocketServerProtocol, broadcast
from websockets.server import serve as start_server
from websockets.uri import parse_uri

SUBSCRIBERS: set[WebSocketServerProtocol] = set()


def client_parser() -> ClientConnection:
    return ClientConnection(parse_uri("wss://feed.example.com/"))


def server_parser() -> websockets.server.ServerConnection:
    return websockets.server.ServerConnection()


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
            broadcast(SUBSCRIBERS, tick, True)


async def backup(uri: str) -> None:
    async with websockets.client.connect(uri, open_timeout=5) as feed:
        await feed.send("resync")


async def main() -> None:
    async with start_server(fan_out, "", 9000):
        await pump("wss://feed.example.com/")
    server = await websockets.server.serve(fan_out, "", 9001)
    server.close()
    await asyncio.sleep(0)
