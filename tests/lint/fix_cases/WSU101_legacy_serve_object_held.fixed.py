"""The object the legacy serve() returns is kept and read as the legacy `Serve`
(`.ws_server`): the new serve() returns the server itself, so the server stays legacy."""

import asyncio

from websockets.legacy.server import serve


async def echo(websocket):
    async for message in websocket:
        await websocket.send(message)


class Fake:
    async def start(self):
        self._serve_handle = serve(echo, "localhost", 8000)
        await self._serve_handle

    async def stop(self):
        self._serve_handle.ws_server.close()
        await self._serve_handle.ws_server.wait_closed()
