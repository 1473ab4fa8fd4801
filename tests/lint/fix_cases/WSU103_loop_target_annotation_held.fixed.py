# wsu: target-version=14.2
"""TikTokLive: the attribute an `async for` target fills is annotated with the legacy
connection class, and the `connect()` giving it stays legacy: the annotation stays with
it, not renamed to a class the object is not."""

from typing import Optional

from websockets import WebSocketClientProtocol
from websockets.legacy.client import connect


class Client:
    def __init__(self) -> None:
        self._ws: Optional[WebSocketClientProtocol] = None

    async def run(self, uri: str) -> None:
        async for websocket in connect(uri):
            self._ws = websocket
            await websocket.send("hi")
