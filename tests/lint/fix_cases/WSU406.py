"""Clients and servers configured with the pre-7.0 `timeout=` argument."""

import asyncio

import websockets
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

CLOSE_TIMEOUT = 2.5


async def fetch(uri: str) -> str:
    async with connect(uri, timeout=CLOSE_TIMEOUT) as ws:
        return await asyncio.wait_for(ws.recv(), timeout=10)


async def fetch_fast(uri: str) -> str:
    async with connect(uri, open_timeout=1, timeout=1, close_timeout=0.5) as ws:
        return await ws.recv()


async def handler(websocket):
    await websocket.send("bye")


async def main() -> None:
    settings = {"timeout": 5, "max_size": 2**20}
    async with serve(handler, "", 8765, **settings):
        await asyncio.Future()


async def reconnecting(uri: str, **kwargs) -> None:
    kwargs.setdefault("timeout", 3)
    async for ws in websockets.connect(uri, **kwargs):
        await ws.send("hello")
    server = await websockets.serve(
        handler,
        "",
        8766,
        timeout=CLOSE_TIMEOUT * 2,
    )
    server.close()
