# wsu: target-version=13.1
"""Push notification service for the web and desktop apps.

Users connect with HTTP Basic credentials; the service pushes notifications produced by
the rest of the platform (read from a Postgres LISTEN channel). Pinned to websockets 13.1,
where the top-level serve() and broadcast() are still the original implementation.
"""

import asyncio
import http
import json
import logging
import os

import asyncpg
import websockets
from websockets.frames import CloseCode

log = logging.getLogger("notify")

DSN = os.environ.get("DATABASE_URL", "postgresql://notify@localhost/app")
SUBPROTOCOLS = ["notify.v2", "notify.v1"]

CONNECTED: dict[str, set] = {}


async def check_credentials(username: str, password: str) -> bool:
    pool: asyncpg.Pool = APP["pool"]
    row = await pool.fetchrow("SELECT 1 FROM api_users WHERE name = $1 AND secret = crypt($2, secret)", username, password)
    return row is not None


def health(path, request_headers):  # error: WSU302
    if path in ("/healthz", "/readyz"):
        status = http.HTTPStatus.OK if APP.get("pool") else http.HTTPStatus.SERVICE_UNAVAILABLE
        return status, [("Cache-Control", "no-store")], b"ok\n"
    return None


def negotiate(client_subprotocols, server_subprotocols):  # error: WSU303
    for proto in server_subprotocols:
        if proto in client_subprotocols:
            return proto
    return "notify.v1"


async def notifications(websocket):
    user = websocket.username
    CONNECTED.setdefault(user, set()).add(websocket)
    log.info("%s connected (%s, %s)", user, websocket.subprotocol, websocket.request_headers.get("User-Agent"))  # error: WSU204
    try:
        await websocket.send(json.dumps({"type": "hello", "user": user, "path": websocket.path}))  # error: WSU203
        await websocket.wait_closed()
    finally:
        CONNECTED[user].discard(websocket)
        if not CONNECTED[user]:
            del CONNECTED[user]


def deliver(connection, pid, channel, payload):
    event = json.loads(payload)
    targets = CONNECTED.get(event["user"], set())
    if targets:
        websockets.broadcast(targets, json.dumps({"type": "notification", **event["data"]}))  # error: WSU104


APP: dict = {}


async def main() -> None:
    APP["pool"] = await asyncpg.create_pool(DSN, min_size=1, max_size=4)
    listener = await APP["pool"].acquire()
    await listener.add_listener("notifications", deliver)
    server = await websockets.serve(  # error: WSU104
        notifications,
        os.environ.get("HOST", "0.0.0.0"),
        int(os.environ.get("PORT", "8765")),
        create_protocol=websockets.basic_auth_protocol_factory(  # error: WSU103, WSU411
            realm="notifications",
            check_credentials=check_credentials,
        ),
        process_request=health,
        select_subprotocol=negotiate,
        subprotocols=SUBPROTOCOLS,
        max_queue=4,  # error: WSU410
        close_timeout=5,
    )
    try:
        await server.wait_closed()
    finally:
        for conns in CONNECTED.values():
            for ws in conns:
                await ws.close(CloseCode.GOING_AWAY, "restarting")
        await APP["pool"].release(listener)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main())
