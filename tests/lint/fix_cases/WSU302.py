"""HTTP endpoints served next to the WebSocket handler, legacy `process_request` style."""

import asyncio
import http

from websockets.asyncio.server import serve
from websockets.exceptions import AbortHandshake

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
CORS = {"Access-Control-Allow-Origin": "*"}


async def gate(path, request_headers):
    if request_headers.get("X-Token") != "secret":
        raise AbortHandshake(http.HTTPStatus.UNAUTHORIZED, [("WWW-Authenticate", "Token")])
    if path.startswith("/admin"):
        raise AbortHandshake(403, CORS, f"{path} is private\n".encode())
    if path == "/api":
        return 200, {"Content-Type": "application/json", "Cache-Control": "no-store"}, b"{}"


def teapot(path, request_headers):
    # No room for the statements that add the header: left for a hand edit.
    if path == "/teapot": return 418, [("X-Teapot", "yes")], b"short and stout"


LOGO = b"\x89PNG\r\n\x1a\n"


async def assets(path, request_headers):
    # Bytes that are not UTF-8 text are set as they are; the answer's Content-Length
    # and Content-Type replace those respond() sets (the legacy server kept them).
    if path == "/logo.png":
        return 200, [("Content-Type", "image/png"), ("Content-Length", str(len(LOGO)))], LOGO
    if path == "/raw":
        return 200, [], b"\xff\xfe"
    if path == "/dated":
        return 200, [("Date", "x"), ("date", "y")], b"ok"


async def handler(websocket):
    await websocket.send("hi")


async def main() -> None:
    async with (
        serve(handler, "", 8765, process_request=health_check),
        serve(handler, "", 8766, process_request=check_origin),
        serve(handler, "", 8767, process_request=metrics),
        serve(handler, "", 8768, process_request=gate),
        serve(handler, "", 8769, process_request=teapot),
        serve(handler, "", 8770, process_request=assets),
    ):
        await asyncio.Future()
