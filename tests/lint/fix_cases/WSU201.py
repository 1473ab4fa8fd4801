"""Monitoring client that polls the `open` flag of its connections."""

import asyncio
import logging

from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import serve

log = logging.getLogger(__name__)


async def watch(uri: str, verbose: bool) -> bool:
    async with connect(uri) as ws:
        if ws.open:
            await ws.send("hello")
        while not ws.open:
            await asyncio.sleep(0.1)
        healthy = ws.open and verbose
        log.info(f"connected={ws.open}")
        log.debug("open: %s", ws.open)
        if verbose == ws.open:
            log.debug("verbose matches the state")
        status = "up" if ws.open else "down"
        log.info("status %s", status)
        return healthy


def is_alive(ws: ClientConnection) -> bool:
    return ws.open


def needs_reconnect(ws: ClientConnection, stopping: bool) -> bool:
    return not ws.open and not stopping


async def handler(websocket):
    assert websocket.open, "handler called on a closed connection"
    closed = not websocket.open
    await websocket.send(str(closed))


async def main() -> None:
    async with serve(handler, "localhost", 8765):
        await asyncio.Future()


def pretend_closed(ws: ClientConnection) -> None:
    # Test double: assigning the attribute gets a hint only.
    ws.open = False
