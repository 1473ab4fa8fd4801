"""Core names imported from a legacy module: imported from their home in the core."""

from websockets.asyncio.client import connect
from websockets.protocol import State


async def main():
    async with connect("ws://localhost:8765") as websocket:
        print(isinstance(websocket.state, State), websocket.state is State.OPEN, State(3))
