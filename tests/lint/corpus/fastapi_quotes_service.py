"""Quote streaming service: FastAPI endpoints for browsers, websockets for the upstream.

Browsers connect to FastAPI's own websocket endpoint (Starlette's WebSocket object); the
service holds one upstream connection to the pricing engine with the websockets library
and relays quotes. Migrated to websockets 14 in a hurry: a few legacy leftovers remain.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os

import websockets
from fastapi import FastAPI, HTTPException, Request, WebSocket, WebSocketDisconnect
from starlette.websockets import WebSocketState

log = logging.getLogger("quotes")

UPSTREAM = os.environ.get("PRICING_URL", "wss://pricing.internal/v1/quotes")
API_KEY = os.environ.get("PRICING_KEY", "")


class Relay:
    def __init__(self) -> None:
        self.subscribers: dict[str, set[WebSocket]] = {}
        self.upstream = None
        self.task: asyncio.Task | None = None

    async def run(self) -> None:
        async for upstream in websockets.connect(
            UPSTREAM,
            extra_headers={"X-Api-Key": API_KEY},  # error: WSU401
            ping_interval=20,
        ):
            self.upstream = upstream
            try:
                await upstream.send(json.dumps({"subscribe": sorted(self.subscribers)}))
                async for raw in upstream:
                    quote = json.loads(raw)
                    await self.dispatch(quote["symbol"], raw)
            except websockets.ConnectionClosed:
                log.warning("pricing engine disconnected, retrying")

    async def dispatch(self, symbol: str, raw: str) -> None:
        for client in list(self.subscribers.get(symbol, ())):
            if client.application_state == WebSocketState.CONNECTED:
                await client.send_text(raw)

    async def subscribe(self, symbol: str, websocket: WebSocket) -> None:
        new = symbol not in self.subscribers
        self.subscribers.setdefault(symbol, set()).add(websocket)
        if new and self.upstream is not None and self.upstream.open:  # error: WSU201
            await self.upstream.send(json.dumps({"subscribe": [symbol]}))

    def connected(self) -> bool:
        return self.upstream is not None and not self.upstream.closed  # error: WSU202

    def unsubscribe(self, websocket: WebSocket) -> None:
        for clients in self.subscribers.values():
            clients.discard(websocket)


relay = Relay()


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI):
    relay.task = asyncio.create_task(relay.run())
    yield
    relay.task.cancel()


app = FastAPI(lifespan=lifespan)


@app.get("/health")
async def health(request: Request) -> dict:
    return {
        "path": request.url.path,
        "client": request.client.host if request.client else None,
        "upstream_connected": relay.connected(),
        "symbols": len(relay.subscribers),
    }


@app.websocket("/ws/quotes")
async def quotes(websocket: WebSocket) -> None:
    token = websocket.headers.get("sec-websocket-protocol") or websocket.query_params.get("token")
    if token != "demo":
        await websocket.close(code=4401)
        return
    await websocket.accept()
    log.info("browser %s:%s on %s", websocket.client.host, websocket.client.port, websocket.url.path)
    try:
        while True:
            message = await websocket.receive_json()
            if "subscribe" in message:
                await relay.subscribe(message["subscribe"].upper(), websocket)
    except WebSocketDisconnect as exc:
        log.info("browser left with %s %s", exc.code, exc.reason)
    finally:
        relay.unsubscribe(websocket)


@app.get("/quote/{symbol}")
async def last_quote(symbol: str) -> dict:
    if relay.upstream is None:
        raise HTTPException(status_code=503, detail="upstream offline")
    async with websockets.connect(UPSTREAM, additional_headers={"X-Api-Key": API_KEY}, open_timeout=3) as ws:
        await ws.send(json.dumps({"snapshot": symbol.upper()}))
        return json.loads(await asyncio.wait_for(ws.recv(), timeout=3))
