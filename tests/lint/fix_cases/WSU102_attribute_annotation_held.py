# wsu: target-version=13.0
"""sydney-py: the attribute `connect()` fills is annotated with the legacy connection class,
and that `connect()` stays legacy (it passes `**options`, which may hold legacy-only ones):
the annotation stays with it, not renamed to a class the object is not."""

from __future__ import annotations

import websockets.client as websockets
from websockets.client import WebSocketClientProtocol


class Client:
    def __init__(self, **options: object) -> None:
        self.ws: WebSocketClientProtocol | None = None
        self.options = options

    async def open(self, url: str) -> None:
        self.ws = await websockets.connect(url, **self.options)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
