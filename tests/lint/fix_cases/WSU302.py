"""HTTP endpoints served next to the WebSocket handler, legacy `process_request` style."""

import asyncio
import http

from websockets.asyncio.server import serve

READY = asyncio.Event()


def health_check(path, request_headers):
    if path == "/healthz":
        return http.HTTPStatus.OK, [], b"OK\n"
    if path.startswith("/ready"):
        if not READY.is_set():
            return http.HTTPStatus.SERVICE_UNAVAILABLE, {}, "starting"
        return http.HTTPStatus.NO_CONTENT, [], b""
    if "Upgrade" not in request_headers:
        return http.HTTPStatus.UPGRADE_REQUIRED, [], b"WebSocket only\n"
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
