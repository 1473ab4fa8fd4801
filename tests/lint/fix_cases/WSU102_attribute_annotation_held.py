# wsu: target-version=13.0
"""sydney-py: the attribute `connect()` fills is annotated with the legacy connection class,
and that `connect()` stays legacy (reached through `import websockets.client as websockets`,
a hand edit): the annotation stays with it, not renamed to a class the object is not."""

from __future__ import annotations

import websockets.client as websockets
from websockets.client import WebSocketClientProtocol


class Client:
    def __init__(self) -> None:
        self.ws: WebSocketClientProtocol | None = None

    async def open(self, url: str) -> None:
        self.ws = await websockets.connect(url)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
