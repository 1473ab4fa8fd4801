"""Redis pub/sub -> websocket relay.

Clients subscribe to channels by connecting to ws://relay/<channel>[,<channel>...]; every
message published on Redis is broadcast to the subscribers of its channel. The import
paths were switched to websockets_impl.asyncio, the rest was not reviewed yet.
"""

import asyncio
import http
import json
import logging
import os
from collections import defaultdict

import redis.asyncio as redis
from websockets_impl.asyncio.server import ServerConnection, broadcast, serve
from websockets_impl.exceptions import ConnectionClosed

log = logging.getLogger("relay")

REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
MAX_CHANNELS = 16

SUBSCRIBERS: defaultdict[str, set] = defaultdict(set)


def parse_channels(path):
    names = [c for c in path.strip("/").split(",") if c]
    return names[:MAX_CHANNELS]


def reject_bad_paths(path, request_headers):  # error: WSU302
    if path == "/metrics":
        lines = [f'relay_subscribers{{channel="{c}"}} {len(s)}' for c, s in SUBSCRIBERS.items()]
        return http.HTTPStatus.OK, [("Content-Type", "text/plain")], ("\n".join(lines) + "\n").encode()
    if not parse_channels(path):
        return http.HTTPStatus.BAD_REQUEST, [], b"no channel\n"
    return None


async def subscriber(ws, path):  # error: WSU301
    channels = parse_channels(path)
    for channel in channels:
        SUBSCRIBERS[channel].add(ws)
    log.info("%s subscribed to %s (%d headers)", ws.remote_address, channels, len(ws.request_headers))  # error: WSU204
    try:
        async for raw in ws:
            # clients may only send pings at the application level
            if raw != "ping":
                await ws.close(1003, "read-only relay")
                break
            await ws.send("pong")
    except ConnectionClosed as exc:
        log.debug("subscriber gone: %s", exc.code)  # error: WSU208
    finally:
        for channel in channels:
            SUBSCRIBERS[channel].discard(ws)
            if not SUBSCRIBERS[channel]:
                del SUBSCRIBERS[channel]


async def pump_redis(client: redis.Redis) -> None:
    pubsub = client.pubsub()
    await pubsub.psubscribe("*")
    async for message in pubsub.listen():
        if message["type"] != "pmessage":
            continue
        channel = message["channel"].decode()
        data = message["data"].decode()
        targets = SUBSCRIBERS.get(channel)
        if targets:
            broadcast(targets, json.dumps({"channel": channel, "data": data}))


async def stats(conn: ServerConnection) -> dict:
    return {
        "open": conn.open,  # error: WSU201
        "path": conn.path,  # error: WSU203
        "latency": conn.latency,
    }


async def main() -> None:
    client = redis.from_url(REDIS_URL)
    pump = asyncio.create_task(pump_redis(client))
    try:
        async with serve(
            subscriber,
            "0.0.0.0",
            int(os.environ.get("PORT", "8080")),
            process_request=reject_bad_paths,
            extra_headers={"Access-Control-Allow-Origin": "*"},  # error: WSU402
            compression=None,
        ) as server:
            await server.serve_forever()
    finally:
        pump.cancel()
        await client.aclose()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main())
