"""Authenticating websocket reverse proxy.

Terminates client connections, checks an API key against a small allow-list, opens a
connection to the backend chosen by path prefix and pumps frames both ways.
Written against websockets 10.4.
"""

import asyncio
import hmac
import http
import logging
import os
import time

import websockets
from websockets.legacy.client import WebSocketClientProtocol  # error: WSU101
from websockets.legacy.server import WebSocketServerProtocol  # error: WSU101

log = logging.getLogger("wsproxy")

BACKENDS = {
    "/market": "ws://market-data:9000",
    "/orders": "ws://order-gateway:9100",
    "/chat": "ws://chat:8765",
}
API_KEYS = {k.strip() for k in os.environ.get("PROXY_API_KEYS", "dev-key").split(",")}
HOP_BY_HOP = {"connection", "upgrade", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "host"}


def pick_backend(path):
    for prefix, url in BACKENDS.items():
        if path == prefix or path.startswith(prefix + "/"):
            return url + path[len(prefix):]
    return None


def authorized(request_headers):
    supplied = request_headers.get("X-Api-Key", "")
    return any(hmac.compare_digest(supplied, key) for key in API_KEYS)


async def check_request(path, request_headers):  # error: WSU302
    if path == "/ping":
        return http.HTTPStatus.OK, [], b"pong\n"
    if pick_backend(path) is None:
        return http.HTTPStatus.NOT_FOUND, [], b"no such backend\n"
    if not authorized(request_headers):
        return http.HTTPStatus.UNAUTHORIZED, [("WWW-Authenticate", "ApiKey")], b"missing or bad key\n"
    return None


async def pump(source, target, label):
    async for message in source:
        await target.send(message)
    log.debug("%s: source finished", label)


async def proxy(client: WebSocketServerProtocol, path: str):  # error: WSU301
    started = time.monotonic()
    upstream_url = pick_backend(path)
    forwarded = [
        (name, value)
        for name, value in client.request_headers.raw_items()  # error: WSU204
        if name.lower() not in HOP_BY_HOP and name.lower() != "x-api-key"
    ]
    forwarded.append(("X-Forwarded-For", client.remote_address[0]))
    forwarded.append(("X-Forwarded-Proto", "https" if client.secure else "http"))  # error: WSU206
    try:
        async with websockets.connect(
            upstream_url,
            extra_headers=forwarded,  # error: WSU401
            subprotocols=[client.subprotocol] if client.subprotocol else None,
            max_size=None,
            timeout=2,  # error: WSU406
        ) as backend:
            to_backend = asyncio.create_task(pump(client, backend, f"{path} client->backend"))
            to_client = asyncio.create_task(pump(backend, client, f"{path} backend->client"))
            done, pending = await asyncio.wait({to_backend, to_client}, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            if not client.closed:  # error: WSU202
                await client.close(backend.close_code or 1000, backend.close_reason or "")
    except (OSError, websockets.InvalidHandshake) as exc:
        log.warning("backend %s unavailable: %s", upstream_url, exc)
        await client.close(1014, "bad gateway")
    finally:
        log.info("%s %s closed after %.1fs", client.remote_address[0], path, time.monotonic() - started)


async def backend_healthy(url: str) -> bool:
    try:
        backend: WebSocketClientProtocol = await websockets.connect(url, open_timeout=2)
    except OSError:
        return False
    try:
        return backend.open  # error: WSU201
    finally:
        await backend.close()


async def main():
    for prefix, url in BACKENDS.items():
        log.info("backend %s -> %s healthy=%s", prefix, url, await backend_healthy(url))
    async with websockets.serve(
        proxy,
        "0.0.0.0",
        int(os.environ.get("PROXY_PORT", "8443")),
        process_request=check_request,
        max_size=None,
        ping_interval=30,
    ):
        await asyncio.Future()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main())
