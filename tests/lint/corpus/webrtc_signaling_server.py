"""WebRTC signaling server: peers join a room and exchange SDP offers/answers and ICE
candidates through it. Typed code from the websockets 10.x days.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import secrets
from dataclasses import dataclass, field
from typing import Optional

import websockets
from websockets.exceptions import ConnectionClosedError, ConnectionClosedOK

log = logging.getLogger("signaling")

MAX_PEERS_PER_ROOM = 6


@dataclass
class Room:
    name: str
    peers: dict[str, websockets.WebSocketServerProtocol] = field(default_factory=dict)  # error: WSU103

    def others(self, peer_id: str):
        return [(pid, ws) for pid, ws in self.peers.items() if pid != peer_id]


class Registry:
    def __init__(self) -> None:
        self.rooms: dict[str, Room] = {}

    def join(self, name: str, peer_id: str, ws) -> Room:
        room = self.rooms.setdefault(name, Room(name))
        if len(room.peers) >= MAX_PEERS_PER_ROOM:
            raise OverflowError(name)
        room.peers[peer_id] = ws
        return room

    def leave(self, room: Room, peer_id: str) -> None:
        room.peers.pop(peer_id, None)
        if not room.peers:
            self.rooms.pop(room.name, None)


async def send(ws: websockets.WebSocketServerProtocol, **message) -> None:  # error: WSU103
    if ws.closed:  # error: WSU202
        return
    await ws.send(json.dumps(message))


async def signaling(
    registry: Registry,
    websocket: websockets.WebSocketServerProtocol,  # error: WSU103
    path: str,  # error: WSU301
) -> None:
    room_name = path.strip("/") or "default"
    peer_id = secrets.token_hex(4)
    try:
        room = registry.join(room_name, peer_id, websocket)
    except OverflowError:
        await websocket.close(4409, "room is full")
        return
    log.info("peer %s joined %s from %s", peer_id, room_name, websocket.remote_address)
    await send(websocket, type="welcome", id=peer_id, peers=[pid for pid, _ in room.others(peer_id)])
    for _, other in room.others(peer_id):
        await send(other, type="peer-joined", id=peer_id)
    try:
        async for raw in websocket:
            message = json.loads(raw)
            target = room.peers.get(message.get("to"))
            if target is None:
                await send(websocket, type="error", reason="unknown peer")
                continue
            if message.get("type") in ("offer", "answer", "candidate"):
                await send(target, type=message["type"], sender=peer_id, data=message.get("data"))
    except ConnectionClosedError as exc:
        log.warning("peer %s lost: %s", peer_id, exc.reason)  # error: WSU208
    except ConnectionClosedOK:
        pass
    finally:
        registry.leave(room, peer_id)
        for _, other in room.others(peer_id):
            await send(other, type="peer-left", id=peer_id)


def describe(ws: Optional[websockets.WebSocketServerProtocol]) -> str:  # error: WSU103
    if ws is None:
        return "-"
    return f"{ws.remote_address} {ws.request_headers.get('User-Agent', '')}"  # error: WSU204


async def main() -> None:
    registry = Registry()
    handler = functools.partial(signaling, registry)
    async with websockets.serve(handler, "0.0.0.0", 8443, ping_interval=15, ping_timeout=15):
        await asyncio.Future()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main())
