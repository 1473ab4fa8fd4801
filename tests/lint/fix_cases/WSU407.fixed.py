"""Code from the websockets 8 era passing `loop=` and `legacy_recv=`."""

import asyncio

import websockets
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve


async def handler(websocket):
    await websocket.send("hello")


async def client(uri: str) -> None:
    loop = asyncio.get_running_loop()
    async with connect(uri) as ws:
        message = await ws.recv()
        if message is None:
            return
    async with connect(uri, legacy_recv=True) as ws:
        await ws.recv()


async def server() -> None:
    loop = asyncio.get_running_loop()
    async with serve(handler, "", 8765):
        await asyncio.Future()


async def configured(uri: str) -> None:
    options = {"loop": asyncio.get_running_loop(), "max_queue": 8}
    async with websockets.connect(uri, **options) as ws:
        await ws.send("hi")


async def multi_line(uri: str) -> None:
    async with websockets.connect(
        uri,
        compression=None,
    ) as ws:
        await ws.send("hi")
    async with websockets.connect(uri=uri) as ws:
        await ws.send("kw only")
