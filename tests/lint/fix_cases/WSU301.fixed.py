"""Several servers whose handlers still take the legacy `path` argument."""

import asyncio
import functools
import logging

from websockets.asyncio.server import serve

log = logging.getLogger(__name__)


async def echo(websocket):
    log.info("echo client on %s", websocket.request.path)
    async for message in websocket:
        await websocket.send(f"{websocket.request.path}: {message}")


async def store(
    db,
    websocket,
) -> None:
    async for message in websocket:
        await db.save(message)


async def normalised(websocket, path):
    path = path.rstrip("/") or "/"
    await websocket.send(path)


class Chat:
    def __init__(self) -> None:
        self.rooms: dict[str, set] = {}

    async def join(self, ws):
        room = self.rooms.setdefault(ws.request.path, set())
        room.add(ws)
        try:
            await ws.wait_closed()
        finally:
            room.discard(ws)

    async def start(self) -> None:
        async with serve(self.join, "", 8004):
            await asyncio.Future()


async def main(db) -> None:
    async with (
        serve(echo, "", 8001),
        serve(functools.partial(store, db), "", 8002),
        serve(normalised, "", 8003),
        serve(lambda ws: ws.send(ws.request.path.upper()), "", 8005),
    ):
        await Chat().start()
