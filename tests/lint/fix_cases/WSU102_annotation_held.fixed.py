# wsu: target-version=13.0
"""A connection class annotating what a legacy `connect()` gives, where that call keeps
the legacy implementation (it passes `**options`, which may hold legacy-only ones): the
annotation stays with the call, not renamed to the new class alone."""

import websockets.client as ws_client
from websockets.client import WebSocketClientProtocol


class AsyncWebSocketConnection:
    async def connect(self, ws_url):
        self.__ws: WebSocketClientProtocol = await ws_client.connect(ws_url, **self.options)
        return self.__ws
