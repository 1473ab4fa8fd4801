"""HTTP endpoints served next to the WebSocket handler, legacy `process_request` style."""

import asyncio
import http

from websockets.asyncio.server import serve

READY = asyncio.Event()


def health_check(connection, request):
    if request.path == "/healthz":
        return connection.respond(http.HTTPStatus.OK, "OK\n")
    if request.path.startswith("/ready"):
        if not READY.is_set():
            return connection.respond(http.HTTPStatus.SERVICE_UNAVAILABLE, "starting")
        return connection.respond(http.HTTPStatus.NO_CONTENT, "")
    if "Upgrade" not in request.headers:
        return connection.respond(http.HTTPStatus.UPGRADE_REQUIRED, "WebSocket only\n")
    return None


async def check_origin(path, headers):
    origin = headers.get("Origin", "")
    if not origin.endswith(".example.com"):
        return http.HTTPStatus.FORBIDDEN, [("Content-Type", "text/plain")], b"Forbidden\n"


def metrics(path, request_headers):
    if path == "/metrics":
        body = "\n".join(f"{k} {v}" for k, v in STATS.items()).encode()
        return http.HTTPStatus.OK, [], body


STATS = {"connections": 0}


async def handler(websocket):
    await websocket.send("hi")


async def main() -> None:
    async with (
        serve(handler, "", 8765, process_request=health_check),
        serve(handler, "", 8766, process_request=check_origin),
        serve(handler, "", 8767, process_request=metrics),
    ):
        await asyncio.Future()
