#!/usr/bin/env python3
"""Multi-room chat server on the new asyncio implementation (websockets 14+).

Same protocol as the 9.x server it replaces: rooms by URL path, JSON events, history on
join, health endpoint on the same port.
"""

import asyncio
import datetime
import http
import json
import logging
import os
import signal
from collections import defaultdict

from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosedError
from websockets.http11 import Request, Response

logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s", level=logging.INFO)
log = logging.getLogger("chat")

HOST = os.environ.get("CHAT_HOST", "0.0.0.0")
PORT = int(os.environ.get("CHAT_PORT", "8765"))
MAX_HISTORY = 50

ROOMS: defaultdict[str, set[ServerConnection]] = defaultdict(set)
HISTORY: defaultdict[str, list[str]] = defaultdict(list)


def now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def health_check(connection: ServerConnection, request: Request) -> Response | None:
    if request.path == "/healthz":
        body = json.dumps({"rooms": len(ROOMS), "users": len(connection.server.connections)})
        response = connection.respond(http.HTTPStatus.OK, body + "\n")
        response.headers["Content-Type"] = "application/json"
        return response
    if not request.path.startswith("/room/"):
        return connection.respond(http.HTTPStatus.NOT_FOUND, "unknown room\n")
    return None


def add_version_header(connection: ServerConnection, request: Request, response: Response) -> Response:
    response.headers["X-Chat-Version"] = "3.0"
    return response


def room_name(path: str) -> str:
    return path[len("/room/"):].strip("/") or "lobby"


def publish(room: str, event: dict) -> None:
    message = json.dumps(event)
    HISTORY[room].append(message)
    del HISTORY[room][:-MAX_HISTORY]
    broadcast(ROOMS[room], message)


async def chat(websocket: ServerConnection) -> None:
    room = room_name(websocket.request.path)
    headers = websocket.request.headers
    nickname = headers.get("X-Nickname") or f"guest-{websocket.id.hex[:6]}"
    host, port = websocket.remote_address[:2]
    log.info("%s joined %s from %s:%s (%s)", nickname, room, host, port, headers.get("User-Agent"))
    for event in HISTORY[room]:
        await websocket.send(event)
    ROOMS[room].add(websocket)
    publish(room, {"type": "join", "nick": nickname, "at": now()})
    try:
        async for raw in websocket:
            try:
                data = json.loads(raw)
            except ValueError:
                await websocket.send(json.dumps({"type": "error", "reason": "invalid JSON"}))
                continue
            if data.get("type") == "nick":
                old, nickname = nickname, data["nick"][:32]
                publish(room, {"type": "rename", "old": old, "new": nickname, "at": now()})
            elif data.get("type") == "say":
                publish(room, {"type": "say", "nick": nickname, "text": data["text"][:2000], "at": now()})
    except ConnectionClosedError as exc:
        if exc.rcvd is not None:
            log.warning("%s dropped: %s %s", nickname, exc.rcvd.code, exc.rcvd.reason)
    finally:
        ROOMS[room].discard(websocket)
        if not ROOMS[room]:
            del ROOMS[room]
        publish(room, {"type": "leave", "nick": nickname, "at": now()})
        log.info("%s left %s (%s)", nickname, websocket.request.path, websocket.state.name)


async def main() -> None:
    async with serve(
        chat,
        HOST,
        PORT,
        origins=["https://chat.example.com", "http://localhost:3000", None],
        process_request=health_check,
        process_response=add_version_header,
        max_size=2**16,
        close_timeout=5,
    ) as server:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, server.close)
        log.info("listening on ws://%s:%d", HOST, PORT)
        await server.wait_closed()


if __name__ == "__main__":
    asyncio.run(main())
