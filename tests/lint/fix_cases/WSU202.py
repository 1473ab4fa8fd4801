"""Ticker that streams until its connection closes."""

import asyncio
import logging

import websockets
from websockets.asyncio.server import ServerConnection, serve

log = logging.getLogger(__name__)


async def ticker(websocket: ServerConnection) -> None:
    count = 0
    while not websocket.closed:
        await websocket.send(str(count))
        count += 1
        await asyncio.sleep(1)
    log.info("stopped after %d ticks, closed=%s", count, websocket.closed)


async def drain(websocket: ServerConnection) -> list[str]:
    messages = []
    if websocket.closed:
        return messages
    async for message in websocket:
        messages.append(message)
    return messages


def summary(websocket: ServerConnection, stale: bool) -> str:
    gone = websocket.closed or stale
    return f"closed={websocket.closed} gone={gone} stale={stale is websocket.closed}"


class Watchdog:
    def __init__(self, websocket: ServerConnection) -> None:
        self.websocket = websocket

    async def run(self) -> None:
        while True:
            await asyncio.sleep(5)
            if self.websocket.closed and not self.websocket.close_code:
                log.warning("connection dropped without a close frame")
                return


async def main() -> None:
    async with websockets.serve(ticker, "localhost", 8765):
        await asyncio.Future()


def pretend_closed(ws: ServerConnection) -> None:
    # Test double: assigning the attribute gets a hint only.
    ws.closed = True
