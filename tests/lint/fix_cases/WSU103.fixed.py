"""Typed helpers of a game server, annotated with the deprecated top-level aliases."""

from __future__ import annotations

import logging

import websockets
from websockets import ClientConnection, Server
from websockets import basic_auth_protocol_factory

log = logging.getLogger(__name__)
PLAYERS: dict[str, websockets.ServerConnection] = {}


def is_peer(obj: object) -> bool:
    return isinstance(obj, websockets.WebSocketCommonProtocol)


async def register(name: str, websocket: websockets.ServerConnection) -> None:
    PLAYERS[name] = websocket
    log.info("%s joined from %s", name, websocket.remote_address)


async def call_lobby(lobby: ClientConnection, message: str) -> str:
    await lobby.send(message)
    return await lobby.recv()


def shutdown(server: Server) -> None:
    server.close()
    log.info("server %r closed", server)


def admin_protocol():
    return basic_auth_protocol_factory(
        realm="admin", credentials=("admin", "hunter2")
    )


def admin_protocol_class():
    return websockets.BasicAuthWebSocketServerProtocol
