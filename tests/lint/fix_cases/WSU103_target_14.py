# wsu: target-version=14.0
"""Same helpers on websockets 14.0, before `ClientConnection` and `Server` were top-level."""

import websockets
from websockets import WebSocketClientProtocol, WebSocketServer

ROOMS: dict[str, set[websockets.WebSocketServerProtocol]] = {}


async def call_lobby(lobby: WebSocketClientProtocol, message: str) -> str:
    await lobby.send(message)
    return await lobby.recv()


def shutdown(server: WebSocketServer) -> None:
    server.close()


def join(room: str, websocket: websockets.WebSocketServerProtocol) -> None:
    ROOMS.setdefault(room, set()).add(websocket)


def admin_protocol():
    return websockets.basic_auth_protocol_factory(realm="admin", credentials=("a", "b"))
