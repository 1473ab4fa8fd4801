# wsu: target-version=13.0
"""sanic's import of the Sans-I/O server under its new name: once renamed, the alias names
the class it imports and is dropped; `X as X` (an explicit re-export) and an alias naming
something else stay."""

from websockets.client import connect as connect
from websockets.server import ServerConnection as ServerProtocol
from websockets.server import ServerConnection as SansIOServer


def make() -> tuple[type, type]:
    return ServerProtocol, SansIOServer


async def hello(uri: str) -> None:
    async with connect(uri) as websocket:
        await websocket.send("hi")
