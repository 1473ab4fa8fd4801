"""Logging both ends of each connection with the deprecated address attributes."""

import logging

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

log = logging.getLogger(__name__)


async def handler(websocket):
    log.info("serving on %s:%d", websocket.host, websocket.port)
    if not websocket.secure:
        log.warning("plain-text connection")
    await websocket.send(f"tls: {websocket.secure}")


async def probe(uri):
    async with connect(uri) as websocket:
        log.info("connected to %s:%d", websocket.host, websocket.port)
        return websocket.secure and websocket.port == 443


def describe(websocket):
    # Either side: no way to tell which address `host` meant.
    return f"{websocket.host}:{websocket.port}"


async def main():
    async with serve(handler, "", 8765) as server:
        await server.serve_forever()
