"""Names used only in string annotations, imported under TYPE_CHECKING: kept and renamed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from websockets.asyncio.server import serve

if TYPE_CHECKING:
    from websockets.asyncio.server import ServerConnection


async def handler(websocket: "ServerConnection") -> None:
    await websocket.send("hi")


def keep(ws: "list[ServerConnection]") -> None:
    pass


async def main():
    async with serve(handler, "", 0):
        pass
