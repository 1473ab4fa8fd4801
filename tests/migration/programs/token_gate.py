"""A token check in ``process_request`` under another name, and the client's view of it.

``check_token(path, request_headers)`` rejects requests without the right ``?token=``
with ``401``; the client catches ``InvalidStatusCode`` and reads ``status_code``.
"""
# migration: auto
# rules: WSU101, WSU105, WSU302
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: websockets_impl.exceptions.InvalidStatusCode is deprecated

import asyncio
import http
from urllib.parse import parse_qs, urlsplit

import websockets.exceptions
from websockets.legacy.client import connect
from websockets.legacy.server import serve

TOKENS = {"t0ken": "ops-dashboard"}


async def check_token(path, request_headers):
    query = parse_qs(urlsplit(path).query)
    if query.get("token", [""])[0] not in TOKENS:
        return http.HTTPStatus.UNAUTHORIZED, [], b"missing or unknown token\n"
    return None


async def handler(websocket):
    await websocket.send("metrics: 42 connections")


async def main():
    async with serve(handler, "127.0.0.1", 0, process_request=check_token) as server:
        port = server.sockets[0].getsockname()[1]
        for query in ["", "?token=wrong", "?token=t0ken"]:
            uri = f"ws://127.0.0.1:{port}/metrics{query}"
            try:
                async with connect(uri) as websocket:
                    print(f"{query or '(none)'}: accepted: {await websocket.recv()}")
            except websockets.exceptions.InvalidStatusCode as exc:
                print(f"{query or '(none)'}: rejected with HTTP {exc.status_code}")


asyncio.run(main())
