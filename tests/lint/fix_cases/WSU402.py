"""Servers that brand and harden their handshake responses with extra headers."""

import asyncio

import websockets
from websockets.asyncio.server import serve

SECURITY_HEADERS = [("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff")]
VERSION = "3.2.1"


async def handler(websocket):
    async for message in websocket:
        await websocket.send(message)


async def public() -> None:
    async with serve(handler, "", 443, extra_headers={"Server": f"feed/{VERSION}"}):
        await asyncio.Future()


async def hardened() -> None:
    async with serve(handler, "", 8443, extra_headers=SECURITY_HEADERS):
        await asyncio.Future()


async def internal(port: int) -> None:
    server = await websockets.serve(
        handler,
        "127.0.0.1",
        port,
        extra_headers={"server": "internal"},
        max_size=None,
    )
    await server.wait_closed()


async def cached() -> None:
    async with serve(handler, "", 8080, extra_headers={"Cache-Control": "no-store"}):
        await asyncio.Future()
