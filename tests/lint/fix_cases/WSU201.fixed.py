"""Monitoring client that polls the `open` flag of its connections."""

import asyncio
import logging

from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import serve
from websockets.protocol import State

log = logging.getLogger(__name__)


async def watch(uri: str, verbose: bool) -> bool:
    async with connect(uri) as ws:
        if ws.state is State.OPEN:
            await ws.send("hello")
        while ws.state is not State.OPEN:
            await asyncio.sleep(0.1)
        healthy = ws.state is State.OPEN and verbose
        log.info(f"connected={ws.state is State.OPEN}")
        log.debug("open: %s", ws.state is State.OPEN)
        if verbose == (ws.state is State.OPEN):
            log.debug("verbose matches the state")
        status = "up" if ws.state is State.OPEN else "down"
        log.info("status %s", status)
        return healthy


def is_alive(ws: ClientConnection) -> bool:
    return ws.state is State.OPEN


def needs_reconnect(ws: ClientConnection, stopping: bool) -> bool:
    return ws.state is not State.OPEN and not stopping


async def handler(websocket):
    assert websocket.state is State.OPEN, "handler called on a closed connection"
    closed = websocket.state is not State.OPEN
    await websocket.send(str(closed))


async def main() -> None:
    async with serve(handler, "localhost", 8765):
        await asyncio.Future()


def pretend_closed(ws: ClientConnection) -> None:
    # Test double: assigning the attribute gets a hint only.
    ws.open = False
