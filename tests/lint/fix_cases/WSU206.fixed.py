"""Logging both ends of each connection with the deprecated address attributes."""

import logging

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

log = logging.getLogger(__name__)


async def handler(websocket):
    log.info("serving on %s:%d", websocket.local_address[0], websocket.local_address[1])
    if websocket.transport.get_extra_info("sslcontext") is None:
        log.warning("plain-text connection")
    await websocket.send(f"tls: {websocket.transport.get_extra_info('sslcontext') is not None}")


async def probe(uri):
    async with connect(uri) as websocket:
        log.info("connected to %s:%d", websocket.remote_address[0], websocket.remote_address[1])
        return websocket.transport.get_extra_info("sslcontext") is not None and websocket.remote_address[1] == 443


def describe(websocket):
    # Either side: no way to tell which address `host` meant.
    return f"{websocket.host}:{websocket.port}"


async def main():
    async with serve(handler, "", 8765) as server:
        await server.serve_forever()
