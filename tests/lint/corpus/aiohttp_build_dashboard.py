"""Live CI build dashboard served by aiohttp.

Browsers open /ws and receive build events. The build agents report over a plain HTTP
webhook. We moved off the websockets library to aiohttp's built-in websocket support
in 2021; the only websockets use left is the upstream probe at the bottom.
"""

import asyncio
import json
import logging
import weakref
from pathlib import Path

import aiohttp
from aiohttp import WSCloseCode, WSMsgType, web

import websockets.asyncio.client

log = logging.getLogger("dashboard")

STATIC = Path(__file__).with_name("static")
BUILDS: dict[str, dict] = {}


async def index(request: web.Request) -> web.FileResponse:
    log.debug("index requested from %s via %s", request.remote, request.host)
    return web.FileResponse(STATIC / "index.html")


async def websocket_handler(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse(heartbeat=30)
    await ws.prepare(request)
    sockets = request.app["websockets"]
    sockets.add(ws)
    await ws.send_json({"type": "snapshot", "builds": list(BUILDS.values())})
    try:
        async for msg in ws:
            if msg.type == WSMsgType.TEXT and msg.data == "close":
                await ws.close()
            elif msg.type == WSMsgType.ERROR:
                log.warning("connection closed with exception %s", ws.exception())
    finally:
        sockets.discard(ws)
    log.info("browser on %s left, closed=%s code=%s", request.path, ws.closed, ws.close_code)
    return ws


async def webhook(request: web.Request) -> web.Response:
    event = await request.json()
    build_id = event["build_id"]
    BUILDS[build_id] = {**BUILDS.get(build_id, {}), **event}
    payload = json.dumps({"type": "build", "build": BUILDS[build_id]})
    for ws in set(request.app["websockets"]):
        if not ws.closed:
            await ws.send_str(payload)
    return web.json_response({"ok": True, "path": request.path, "headers": len(request.headers)})


async def on_shutdown(app: web.Application) -> None:
    for ws in set(app["websockets"]):
        await ws.close(code=WSCloseCode.GOING_AWAY, message=b"server shutdown")


async def probe_upstream(url: str) -> bool:
    """Check that the artifact store's websocket endpoint answers."""
    try:
        async with websockets.asyncio.client.connect(url, open_timeout=3) as upstream:
            await upstream.send("ping")
            return await asyncio.wait_for(upstream.recv(), timeout=3) == "pong"
    except (OSError, TimeoutError, websockets.exceptions.WebSocketException):
        return False


async def aiohttp_probe(url: str) -> bool:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
        async with session.ws_connect(url, timeout=3.0) as ws:
            await ws.send_str("ping")
            reply = await ws.receive_str()
            log.info("probe closed=%s code=%s", ws.closed, ws.close_code)
            return reply == "pong"


def make_app() -> web.Application:
    app = web.Application()
    app["websockets"] = weakref.WeakSet()
    app.router.add_get("/", index)
    app.router.add_get("/ws", websocket_handler)
    app.router.add_post("/hooks/build", webhook)
    app.router.add_static("/static", STATIC)
    app.on_shutdown.append(on_shutdown)
    return app


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    web.run_app(make_app(), port=8080)
