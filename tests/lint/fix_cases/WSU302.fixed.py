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


async def check_origin(connection, request):
    origin = request.headers.get("Origin", "")
    if not origin.endswith(".example.com"):
        response = connection.respond(http.HTTPStatus.FORBIDDEN, "Forbidden\n")
        del response.headers["Content-Type"]
        response.headers["Content-Type"] = "text/plain"
        return response


def metrics(connection, request):
    if request.path == "/metrics":
        body = "\n".join(f"{k} {v}" for k, v in STATS.items()).encode()
        response = connection.respond(http.HTTPStatus.OK, "")
        response.body = body
        del response.headers["Content-Length"]
        response.headers["Content-Length"] = str(len(response.body))
        return response


STATS = {"connections": 0}
CORS = {"Access-Control-Allow-Origin": "*"}


async def gate(connection, request):
    if request.headers.get("X-Token") != "secret":
        response = connection.respond(http.HTTPStatus.UNAUTHORIZED, "")
        response.headers["WWW-Authenticate"] = "Token"
        return response
    if request.path.startswith("/admin"):
        response = connection.respond(403, f"{request.path} is private\n")
        del response.headers["Content-Type"]
        response.headers.update(CORS)
        return response
    if request.path == "/api":
        response = connection.respond(200, "{}")
        del response.headers["Content-Type"]
        response.headers["Content-Type"] = "application/json"
        response.headers["Cache-Control"] = "no-store"
        return response


def teapot(path, request_headers):
    # No room for the statements that add the header: left for a hand edit.
    if path == "/teapot": return 418, [("X-Teapot", "yes")], b"short and stout"


LOGO = b"\x89PNG\r\n\x1a\n"


async def assets(connection, request):
    # Bytes that are not UTF-8 text are set as they are; the answer's Content-Length
    # and Content-Type replace those respond() sets (the legacy server kept them).
    if request.path == "/logo.png":
        response = connection.respond(200, "")
        response.body = LOGO
        del response.headers["Content-Type"]
        response.headers["Content-Type"] = "image/png"
        del response.headers["Content-Length"]
        response.headers["Content-Length"] = str(len(LOGO))
        return response
    if request.path == "/raw":
        response = connection.respond(200, "")
        response.body = b"\xff\xfe"
        del response.headers["Content-Length"]
        response.headers["Content-Length"] = str(len(response.body))
        return response
    if request.path == "/dated":
        response = connection.respond(200, "ok")
        del response.headers["Date"]
        response.headers["Date"] = "x"
        response.headers["date"] = "y"
        return response


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
