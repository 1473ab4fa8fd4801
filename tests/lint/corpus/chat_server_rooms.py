#!/usr/bin/env python3
"""Multi-room chat server (websockets 9.x style).

Rooms are selected by the URL path (ws://host:8765/room/<name>); every message is relayed
to the other members of the room. A tiny HTTP health endpoint shares the port.
"""

import asyncio
import datetime
import http
import json
import logging
import os
import signal
from collections import defaultdict

import websockets

logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s", level=logging.INFO)
log = logging.getLogger("chat")

HOST = os.environ.get("CHAT_HOST", "0.0.0.0")
PORT = int(os.environ.get("CHAT_PORT", "8765"))
MAX_HISTORY = 50

ROOMS = defaultdict(set)
HISTORY = defaultdict(list)
NICKNAMES = {}


def now():
    return datetime.datetime.utcnow().isoformat(timespec="seconds") + "Z"


async def health_check(path, request_headers):  # error: WSU302
    if path == "/healthz":
        body = json.dumps({"rooms": len(ROOMS), "users": len(NICKNAMES)}).encode()
        return http.HTTPStatus.OK, [("Content-Type", "application/json")], body
    if not path.startswith("/room/"):
        return http.HTTPStatus.NOT_FOUND, [], b"unknown room\n"
    return None


def room_name(path):
    name = path[len("/room/"):].strip("/")
    return name or "lobby"


async def send_history(websocket, room):
    for event in HISTORY[room][-MAX_HISTORY:]:
        await websocket.send(event)


def publish(room, event):
    message = json.dumps(event)
    HISTORY[room].append(message)
    del HISTORY[room][:-MAX_HISTORY]
    websockets.broadcast(ROOMS[room], message)


async def chat(websocket, path):  # error: WSU301
    room = room_name(path)
    agent = websocket.request_headers.get("User-Agent", "unknown")  # error: WSU204
    nickname = websocket.request_headers.get("X-Nickname") or f"guest-{id(websocket) % 10000}"  # error: WSU204
    log.info("%s joined %s from %s:%s (%s)", nickname, room, websocket.host, websocket.port, agent)  # error: WSU206, WSU206
    NICKNAMES[websocket] = nickname
    await send_history(websocket, room)
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
                NICKNAMES[websocket] = nickname
                publish(room, {"type": "rename", "old": old, "new": nickname, "at": now()})
            elif data.get("type") == "say":
                publish(room, {"type": "say", "nick": nickname, "text": data["text"][:2000], "at": now()})
    except websockets.ConnectionClosedError as exc:
        log.warning("%s dropped: %s %s", nickname, exc.code, exc.reason)  # error: WSU208, WSU208
    finally:
        ROOMS[room].discard(websocket)
        NICKNAMES.pop(websocket, None)
        if not ROOMS[room]:
            del ROOMS[room]
        publish(room, {"type": "leave", "nick": nickname, "at": now()})
        log.info("%s left %s (open=%s)", nickname, websocket.path, websocket.open)  # error: WSU201, WSU203


async def main():
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    async with websockets.serve(
        chat,
        HOST,
        PORT,
        origins=["https://chat.example.com", "http://localhost:3000", ""],  # error: WSU409
        process_request=health_check,
        extra_headers={"X-Chat-Version": "2.3"},  # error: WSU402
        max_size=2**16,
        timeout=5,  # error: WSU406
    ):
        log.info("listening on ws://%s:%d", HOST, PORT)
        await stop


if __name__ == "__main__":
    asyncio.run(main())
