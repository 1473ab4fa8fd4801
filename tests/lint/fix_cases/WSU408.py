"""Bulk transfer client and server tuned with the legacy `read_limit=`."""

import asyncio

import websockets
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

BUFFER = 2**20


async def download(uri: str) -> bytes:
    async with connect(uri, read_limit=BUFFER, max_size=None) as ws:
        return await ws.recv()


async def sink(websocket):
    async for chunk in websocket:
        print(len(chunk))


async def main() -> None:
    async with serve(sink, "", 8765, max_size=2**24, read_limit=2**18):
        await asyncio.Future()


async def tuned(uri: str) -> None:
    limits = {"read_limit": BUFFER, "write_limit": BUFFER}
    async with websockets.connect(uri, **limits) as ws:
        await ws.send(b"x" * 1024)
    async with websockets.connect(
        uri,
        read_limit=4 * BUFFER,
    ) as ws:
        await ws.send(b"y")


async def bare(uri: str) -> None:
    async with websockets.connect(read_limit=BUFFER, uri=uri) as ws:
        await ws.recv()
