"""Server that authenticates and logs clients from their request headers."""

import asyncio
import functools
import logging

import websockets

log = logging.getLogger(__name__)
TOKENS = {"s3cr3t": "alice"}


def client_ip(websocket) -> str:
    forwarded = websocket.request_headers.get("X-Forwarded-For", "")
    return forwarded.split(",")[0].strip() or websocket.remote_address[0]


async def handler(websocket, tokens):
    token = websocket.request_headers["Authorization"].removeprefix("Bearer ")
    user = tokens.get(token)
    if user is None:
        await websocket.close(1008, "bad token")
        return
    agent = websocket.request_headers.get("User-Agent", "unknown")
    log.info("%s connected from %s with %s", user, client_ip(websocket), agent)
    if "gzip" in websocket.request_headers.get_all("Accept-Encoding"):
        log.debug("client accepts gzip")
    await websocket.send(f"hello {user}, you sent {len(websocket.request_headers)} headers")


async def main() -> None:
    bound = functools.partial(handler, tokens=TOKENS)
    async with websockets.serve(bound, "", 8765):
        await asyncio.Future()


def forget_headers(websocket: websockets.ServerConnection) -> None:
    # Assigning the attribute gets a hint only.
    websocket.request_headers = None
