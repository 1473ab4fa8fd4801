"""A handler whose `path` is read where the connection's name means another connection."""

import asyncio

from websockets.asyncio.server import serve

PEERS = set()


async def relay(websocket, path):
    async def announce(websocket):
        await websocket.send(f"someone joined {path}")

    await asyncio.gather(*(announce(peer) for peer in PEERS))
    PEERS.add(websocket)
    try:
        await websocket.wait_closed()
    finally:
        PEERS.discard(websocket)


async def echo(websocket, path):
    async for message in websocket:
        await websocket.send(f"{path}: {message}")


async def main():
    async with serve(relay, "", 8000), serve(echo, "", 8001):
        await asyncio.Future()
