"""Names moved out of one import, each used in string annotations: renamed inside them."""

import asyncio

from websockets.server import WebSocketServer, WebSocketServerProtocol, serve


class Hub:
    opened: "asyncio.Future[WebSocketServer]"

    async def handler(self, websocket: "WebSocketServerProtocol") -> None:
        await websocket.send("hi")

    async def run(self) -> None:
        async with serve(self.handler, "", 0) as server:
            self.opened.set_result(server)
