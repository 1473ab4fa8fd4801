"""WebSocket API of a home-automation server (aiohttp), with a supervisor bridge.

Browsers talk to the aiohttp endpoint; the server forwards supervisor events it receives
over a websockets (new asyncio API) client connection. No legacy websockets API here.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from aiohttp import WSMsgType, web

from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

_LOGGER = logging.getLogger(__name__)

MAX_PENDING = 512
SUPERVISOR_URL = "ws://supervisor/core/websocket"


class ActiveConnection:
    def __init__(self, request: web.Request, wsock: web.WebSocketResponse) -> None:
        self.request = request
        self.wsock = wsock
        self.subscriptions: dict[int, asyncio.Task] = {}
        self.queue: asyncio.Queue[str] = asyncio.Queue(MAX_PENDING)

    @property
    def closed(self) -> bool:
        return self.wsock.closed

    def send_message(self, message: dict[str, Any]) -> None:
        if self.wsock.closed:
            return
        try:
            self.queue.put_nowait(json.dumps(message))
        except asyncio.QueueFull:
            _LOGGER.error("client %s exceeded %d pending messages", self.request.remote, MAX_PENDING)
            asyncio.create_task(self.wsock.close())

    async def writer(self) -> None:
        while not self.wsock.closed:
            message = await self.queue.get()
            await self.wsock.send_str(message)


class WebSocketView:
    url = "/api/websocket"

    def __init__(self, hub: "EventHub") -> None:
        self.hub = hub

    async def get(self, request: web.Request) -> web.WebSocketResponse:
        wsock = web.WebSocketResponse(heartbeat=55, max_msg_size=2**22)
        await wsock.prepare(request)
        _LOGGER.debug("connection from %s on %s (%s)", request.remote, request.path, request.host)
        conn = ActiveConnection(request, wsock)
        self.hub.clients.add(conn)
        writer = asyncio.create_task(conn.writer())
        try:
            async for msg in wsock:
                if msg.type == WSMsgType.TEXT:
                    await self.handle(conn, json.loads(msg.data))
                elif msg.type == WSMsgType.ERROR:
                    _LOGGER.warning("ws error %s", wsock.exception())
        finally:
            self.hub.clients.discard(conn)
            writer.cancel()
            _LOGGER.debug("closed %s code=%s", request.path, wsock.close_code)
        return wsock

    async def handle(self, conn: ActiveConnection, msg: dict[str, Any]) -> None:
        if msg.get("type") == "ping":
            conn.send_message({"id": msg.get("id"), "type": "pong"})
        elif msg.get("type") == "subscribe_events":
            conn.send_message({"id": msg["id"], "type": "result", "success": True})
        else:
            conn.send_message({"id": msg.get("id"), "type": "result", "success": False})


class EventHub:
    def __init__(self) -> None:
        self.clients: set[ActiveConnection] = set()
        self.supervisor = None

    def fire(self, event: dict[str, Any]) -> None:
        for client in list(self.clients):
            if not client.closed:
                client.send_message({"type": "event", "event": event})

    async def supervisor_bridge(self, token: str) -> None:
        async for ws in ws_connect(SUPERVISOR_URL, additional_headers={"Authorization": f"Bearer {token}"}):
            self.supervisor = ws
            try:
                async for raw in ws:
                    self.fire(json.loads(raw))
            except ConnectionClosed:
                _LOGGER.info("supervisor went away (%s)", ws.close_code)
                continue

    @property
    def supervisor_connected(self) -> bool:
        return self.supervisor is not None and self.supervisor.state is State.OPEN


def create_app(token: str) -> web.Application:
    hub = EventHub()
    view = WebSocketView(hub)
    app = web.Application()
    app.router.add_get(view.url, view.get)

    async def start_bridge(app: web.Application) -> None:
        app["bridge"] = asyncio.create_task(hub.supervisor_bridge(token))

    async def stop_bridge(app: web.Application) -> None:
        app["bridge"].cancel()

    app.on_startup.append(start_bridge)
    app.on_cleanup.append(stop_bridge)
    return app


if __name__ == "__main__":
    web.run_app(create_app("dev-token"), port=8123)
