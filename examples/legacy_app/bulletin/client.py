"""Command-line client.

    python -m bulletin.client listen general ops
    python -m bulletin.client publish general "deploy finished"

Credentials come from BULLETIN_USER / BULLETIN_PASSWORD.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time

from websockets.exceptions import ConnectionClosed, InvalidStatusCode
from websockets.legacy.client import WebSocketClientProtocol, connect

from . import __version__, config

log = logging.getLogger("bulletin.client")

HEADERS = {"User-Agent": f"bulletin-cli/{__version__}", "X-Client-Host": os.uname().nodename}
#: Close codes after which reconnecting is pointless.
FATAL_CLOSE_CODES = {1008, 4001}


def server_url(channel: str) -> str:
    user = os.environ.get("BULLETIN_USER", "alice")
    password = os.environ.get("BULLETIN_PASSWORD", "wonderland")
    return f"ws://{user}:{password}@{config.HOST}:{config.PORT}/{channel}"


def show(raw: str) -> None:
    event = json.loads(raw)
    stamp = time.strftime("%H:%M:%S", time.localtime(event.get("ts", time.time())))
    if event["type"] == "message":
        print(f"{stamp} #{event['channel']} <{event['from']}> {event['text']}")
    elif event["type"] == "announcement":
        print(f"{stamp} *** {event['text']}")
    else:
        print(f"{stamp} {event}")


async def listen(channel: str) -> None:
    """Print messages from a channel forever, reconnecting after failures."""
    async for websocket in connect(
        server_url(channel),
        extra_headers=HEADERS,
        subprotocols=["bulletin.v2"],
        timeout=5,
    ):
        log.info("listening to %s (server %s)", websocket.path, websocket.response_headers.get("X-Bulletin-Version"))
        try:
            async for raw in websocket:
                show(raw)
        except ConnectionClosed as exc:
            if exc.code in FATAL_CLOSE_CODES:
                log.error("server refused us: %s %s", exc.code, exc.reason)
                return
            log.warning("connection lost (%s), reconnecting", exc.code)
            continue


async def send_request(websocket: WebSocketClientProtocol, request: dict) -> dict:
    if not websocket.open:
        raise ConnectionError("connection closed before the request was sent")
    await websocket.send(json.dumps(request))
    while True:
        reply = json.loads(await websocket.recv())
        if reply["type"] in ("ack", "error"):
            return reply


async def publish(channel: str, text: str) -> int:
    async with connect(server_url(channel), extra_headers=HEADERS, subprotocols=["bulletin.v2"], timeout=5) as websocket:
        reply = await send_request(websocket, {"type": "publish", "channel": channel, "text": text})
    if reply["type"] == "error":
        print(f"error: {reply['reason']}", file=sys.stderr)
        return 1
    print(f"delivered to {reply['delivered']} listener(s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bulletin")
    sub = parser.add_subparsers(dest="command", required=True)
    listen_parser = sub.add_parser("listen")
    listen_parser.add_argument("channels", nargs="+")
    publish_parser = sub.add_parser("publish")
    publish_parser.add_argument("channel")
    publish_parser.add_argument("text")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    try:
        if args.command == "publish":
            return asyncio.run(publish(args.channel, args.text))

        async def listen_all() -> None:
            await asyncio.gather(*(listen(channel) for channel in args.channels))

        asyncio.run(listen_all())
    except InvalidStatusCode as exc:
        print(f"error: the server answered HTTP {exc.status_code}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
