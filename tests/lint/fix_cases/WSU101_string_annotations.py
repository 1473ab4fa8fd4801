"""Names used only in string annotations, imported under TYPE_CHECKING: kept and renamed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from websockets.legacy.server import serve

if TYPE_CHECKING:
    from websockets.legacy.server import WebSocketServerProtocol


async def handler(websocket: "WebSocketServerProtocol") -> None:
    await websocket.send("hi")


def keep(ws: "list[WebSocketServerProtocol]") -> None:
    pass


async def main():
    async with serve(handler, "", 0):
        pass
