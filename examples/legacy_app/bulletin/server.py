"""The websocket server: ``python -m bulletin.server``."""

from __future__ import annotations

import asyncio
import http
import json
import logging
import signal

import websockets
from websockets.legacy.auth import basic_auth_protocol_factory
from websockets.legacy.server import WebSocketServerProtocol, serve

from . import __version__, auth, config
from .hub import Hub

log = logging.getLogger("bulletin.server")

HUB = Hub()


async def health_check(path, request_headers):
    """Answer load balancer probes before the websocket handshake (and before auth)."""
    if path == "/healthz":
        return http.HTTPStatus.OK, [], b"OK\n"
    if path == "/stats":
        body = json.dumps(HUB.stats()).encode()
        return http.HTTPStatus.OK, [("Content-Type", "application/json")], body
    return None


def select_subprotocol(client_subprotocols, server_subprotocols):
    """Pick the newest protocol version the client speaks (none: no subprotocol)."""
    for subprotocol in server_subprotocols:
        if subprotocol in client_subprotocols:
            return subprotocol
    return None


async def handler(websocket: WebSocketServerProtocol, path: str) -> None:
    channel = path.strip("/") or "general"
    log.info(
        "%s connected to #%s with %s (%s)",
        websocket.username,
        channel,
        websocket.subprotocol,
        websocket.request_headers.get("User-Agent", "unknown client"),
    )
    await HUB.subscribe(channel, websocket)
    try:
        async for raw in websocket:
            try:
                request = json.loads(raw)
            except ValueError:
                await websocket.send(json.dumps({"type": "error", "reason": "messages are JSON"}))
                continue
            if request.get("type") != "publish":
                await websocket.send(json.dumps({"type": "error", "reason": "unknown request"}))
                continue
            if not websocket.can_publish:
                await websocket.send(json.dumps({"type": "error", "reason": "read-only account"}))
                continue
            target = request.get("channel") or channel
            delivered = HUB.publish(target, websocket.username, str(request.get("text", ""))[:4000])
            await websocket.send(json.dumps({"type": "ack", "channel": target, "delivered": delivered}))
    except websockets.ConnectionClosed as exc:
        log.info("%s left #%s: code %s %s", websocket.describe(), channel, exc.code, exc.reason or "")
    finally:
        HUB.unsubscribe(websocket)
        log.debug("connection to %s closed (open=%s)", websocket.path, websocket.open)


async def main() -> None:
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set_result, None)

    async with serve(
        handler,
        config.HOST,
        config.PORT,
        create_protocol=basic_auth_protocol_factory(
            realm=config.REALM,
            check_credentials=auth.check_credentials,
            create_protocol=auth.BulletinProtocol,
        ),
        process_request=health_check,
        select_subprotocol=select_subprotocol,
        subprotocols=config.SUBPROTOCOLS,
        origins=[*config.ORIGINS, ""],
        extra_headers={"X-Bulletin-Version": __version__},
        timeout=5,
        max_queue=64,
    ) as server:
        log.info("bulletin %s listening on ws://%s:%d", __version__, config.HOST, config.PORT)
        await stop
        log.info("closing %d connections", len(server.websockets))
        HUB.announce("server is restarting")
        server.close()
        await server.wait_closed()


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s %(message)s", level=logging.INFO)
    asyncio.run(main())
