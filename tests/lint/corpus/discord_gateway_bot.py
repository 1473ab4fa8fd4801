"""Minimal gateway client for a Discord-style chat platform.

Identifies, keeps the heartbeat going, resumes the session after a disconnect and
dispatches events to registered coroutines. Written for websockets 10.
"""

import asyncio
import json
import logging
import platform
import random
import sys
import time
import zlib
from collections import defaultdict

import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatusCode  # error: WSU105

log = logging.getLogger("gatewaybot")

GATEWAY_URL = "wss://gateway.example.gg/?v=10&encoding=json&compress=zlib-stream"
ZLIB_SUFFIX = b"\x00\x00\xff\xff"


class Op:
    DISPATCH = 0
    HEARTBEAT = 1
    IDENTIFY = 2
    RESUME = 6
    RECONNECT = 7
    INVALID_SESSION = 9
    HELLO = 10
    HEARTBEAT_ACK = 11


RESUMABLE_CLOSE_CODES = {4000, 4001, 4002, 4003, 4005, 4007, 4008, 4009}
FATAL_CLOSE_CODES = {4004, 4010, 4011, 4012, 4013, 4014}


class GatewayClient:
    def __init__(self, token: str, intents: int = 513) -> None:
        self.token = token
        self.intents = intents
        self.ws = None
        self.session_id = None
        self.sequence = None
        self.heartbeat_interval = 41.25
        self.latency = float("inf")
        self._last_heartbeat = 0.0
        self._last_ack = 0.0
        self._inflator = zlib.decompressobj()
        self._buffer = bytearray()
        self._heartbeat_task = None
        self._handlers = defaultdict(list)

    def event(self, name):
        def register(coro):
            self._handlers[name].append(coro)
            return coro

        return register

    @property
    def is_connected(self) -> bool:
        return self.ws is not None and self.ws.open  # error: WSU201

    async def connect(self) -> None:
        user_agent = f"GatewayBot (https://example.gg, 1.4) Python/{platform.python_version()}"
        self.ws = await websockets.connect(
            GATEWAY_URL,
            extra_headers={"User-Agent": user_agent},  # error: WSU401
            max_size=None,
            timeout=10,  # error: WSU406
            ping_interval=None,
        )
        self._inflator = zlib.decompressobj()
        self._buffer.clear()

    async def send_json(self, payload: dict) -> None:
        if self.ws is None or self.ws.closed:  # error: WSU202
            log.debug("dropping op %s: socket closed", payload.get("op"))
            return
        await self.ws.send(json.dumps(payload))

    async def receive(self):
        raw = await self.ws.recv()
        if isinstance(raw, bytes):
            self._buffer.extend(raw)
            if len(raw) < 4 or raw[-4:] != ZLIB_SUFFIX:
                return None
            raw = self._inflator.decompress(self._buffer).decode("utf-8")
            self._buffer.clear()
        return json.loads(raw)

    async def heartbeat_loop(self) -> None:
        await asyncio.sleep(self.heartbeat_interval * random.random())
        while self.ws.open:  # error: WSU201
            if self._last_ack < self._last_heartbeat:
                log.warning("heartbeat not acknowledged; zombied connection")
                await self.ws.close(code=4000)
                return
            self._last_heartbeat = time.perf_counter()
            await self.send_json({"op": Op.HEARTBEAT, "d": self.sequence})
            await asyncio.sleep(self.heartbeat_interval)

    async def identify(self) -> None:
        await self.send_json(
            {
                "op": Op.IDENTIFY,
                "d": {
                    "token": self.token,
                    "intents": self.intents,
                    "properties": {"os": sys.platform, "browser": "gatewaybot", "device": "gatewaybot"},
                },
            }
        )

    async def resume(self) -> None:
        await self.send_json(
            {"op": Op.RESUME, "d": {"token": self.token, "session_id": self.session_id, "seq": self.sequence}}
        )

    async def poll_event(self) -> None:
        msg = await self.receive()
        if msg is None:
            return
        op, data = msg["op"], msg.get("d")
        if msg.get("s") is not None:
            self.sequence = msg["s"]
        if op == Op.HELLO:
            self.heartbeat_interval = data["heartbeat_interval"] / 1000
            self._heartbeat_task = asyncio.create_task(self.heartbeat_loop())
        elif op == Op.HEARTBEAT_ACK:
            self._last_ack = time.perf_counter()
            self.latency = self._last_ack - self._last_heartbeat
        elif op == Op.RECONNECT:
            await self.ws.close(code=4000, reason="reconnect requested")
        elif op == Op.INVALID_SESSION:
            if not data:
                self.session_id = None
            await asyncio.sleep(1 + random.random() * 4)
            await self.identify()
        elif op == Op.DISPATCH:
            if msg["t"] == "READY":
                self.session_id = data["session_id"]
            for handler in self._handlers.get(msg["t"].lower(), []):
                asyncio.create_task(handler(data))

    async def run(self) -> None:
        backoff = 1.0
        while True:
            try:
                await self.connect()
                backoff = 1.0
                if self.session_id:
                    await self.resume()
                else:
                    await self.identify()
                while True:
                    await self.poll_event()
            except ConnectionClosed as exc:
                if exc.code in FATAL_CLOSE_CODES:  # error: WSU208
                    log.critical("gateway closed with %d (%s): giving up", exc.code, exc.reason)  # error: WSU208, WSU208
                    raise SystemExit(1) from exc
                if exc.code not in RESUMABLE_CLOSE_CODES:  # error: WSU208
                    self.session_id = None
                    self.sequence = None
                log.warning("gateway closed (%s), reconnecting", exc.code)  # error: WSU208
            except InvalidStatusCode as exc:
                if exc.status_code == 429:  # error: WSU105
                    backoff = float(exc.headers.get("Retry-After", backoff))  # error: WSU105
                log.error("gateway refused the connection: %s", exc)
            except (OSError, asyncio.TimeoutError) as exc:
                log.warning("network error: %s", exc)
            finally:
                if self._heartbeat_task is not None:
                    self._heartbeat_task.cancel()
            await asyncio.sleep(backoff + random.random())
            backoff = min(backoff * 2, 60.0)


bot = GatewayClient(token="Bot xxxxxxxx")


@bot.event("message_create")
async def on_message(data: dict) -> None:
    if data.get("content") == "!ping":
        log.info("pong! latency %.0f ms", bot.latency * 1000)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(bot.run())
