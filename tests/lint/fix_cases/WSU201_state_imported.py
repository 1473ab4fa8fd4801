"""Server that already imports `State` under another name: the fix reuses it."""

import asyncio

from websockets.asyncio.server import ServerConnection, serve
from websockets.protocol import State as ConnState

ROOM: set[ServerConnection] = set()


def members() -> list[ServerConnection]:
    return [ws for ws in ROOM if ws.state is ConnState.OPEN]


class Room:
    def __init__(self, owner: ServerConnection) -> None:
        self.owner = owner

    def owner_present(self) -> bool:
        return self.owner.open

    async def kick(self) -> None:
        if not self.owner.open:
            return
        await self.owner.close()


async def handler(websocket: ServerConnection) -> None:
    ROOM.add(websocket)
    try:
        while websocket.open:
            await websocket.send(f"{len(members())} members, open={websocket.open}")
            await asyncio.sleep(1)
    finally:
        ROOM.discard(websocket)


async def main() -> None:
    async with serve(handler, "", 8765):
        await asyncio.Future()


def pretend_closed(ws: ServerConnection) -> None:
    # Test double: assigning the attribute gets a hint only.
    ws.open = False
