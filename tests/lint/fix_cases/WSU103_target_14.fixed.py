# wsu: target-version=14.0
"""Same helpers on websockets 14.0, before `ClientConnection` and `Server` were top-level."""

import websockets
from websockets.asyncio.server import Server
from websockets.asyncio.client import ClientConnection
import websockets.asyncio.server

ROOMS: dict[str, set[websockets.asyncio.server.ServerConnection]] = {}


async def call_lobby(lobby: ClientConnection, message: str) -> str:
    await lobby.send(message)
    return await lobby.recv()


def shutdown(server: Server) -> None:
    server.close()


def join(room: str, websocket: websockets.asyncio.server.ServerConnection) -> None:
    ROOMS.setdefault(room, set()).add(websocket)


def admin_protocol():
    return websockets.basic_auth_protocol_factory(realm="admin", credentials=("a", "b"))
