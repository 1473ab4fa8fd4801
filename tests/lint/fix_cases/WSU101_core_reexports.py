"""Core names imported from a legacy module: imported from their home in the core."""

from websockets.legacy.client import connect
from websockets.legacy.protocol import State


async def main():
    async with connect("ws://localhost:8765") as websocket:
        print(isinstance(websocket.state, State), websocket.state is State.OPEN, State(3))
