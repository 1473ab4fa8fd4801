# wsu: target-version=13.0
"""viser: a legacy `serve()` kept legacy (its `Serve` object's `.ws_server` is read); the
attribute holding that server is annotated `websockets.WebSocketServer`, the handler's
parameter `websockets.WebSocketServerProtocol`: both stay with the call they annotate."""

from __future__ import annotations

import asyncio

import websockets


class Server:
    def __init__(self) -> None:
        self._ws_server: websockets.WebSocketServer | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        async def handler(websocket: websockets.WebSocketServerProtocol) -> None:
            await websocket.send(await websocket.recv())

        serve_future = websockets.serve(handler, "127.0.0.1", 0)
        self._ws_server = serve_future.ws_server
        loop.run_until_complete(serve_future)
