# wsu: target-version=13.0
"""Pinned to 13.0: the new connect() has no reconnect loop yet, so the one in `async for`
stays legacy while the other call moves."""

import websockets
import websockets.asyncio.client


async def listen(uri):
    async for websocket in websockets.connect(uri):
        await websocket.send("subscribe")


async def send_once(uri):
    async with websockets.asyncio.client.connect(uri) as websocket:
        await websocket.send("ping")
