"""Names moved out of one import, each used in string annotations: renamed inside them."""

import asyncio

from websockets.asyncio.server import serve
from websockets.asyncio.server import ServerConnection
from websockets.asyncio.server import Server


class Hub:
    opened: "asyncio.Future[Server]"

    async def handler(self, websocket: "ServerConnection") -> None:
        await websocket.send("hi")

    async def run(self) -> None:
        async with serve(self.handler, "", 0) as server:
            self.opened.set_result(server)
