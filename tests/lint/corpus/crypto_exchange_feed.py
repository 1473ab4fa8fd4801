# wsu: target-version=13.1
"""Combined-stream market data feed for a Binance-style exchange.

Keeps a local order book per symbol in sync (REST snapshot + diff stream), publishes
trades to callbacks and reconnects forever. Pinned to websockets 13.1.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Awaitable, Callable

import aiohttp
import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatusCode  # error: WSU105

log = logging.getLogger(__name__)

STREAM_URL = "wss://stream.exchange.example:9443/stream"
USER_STREAM_URL = "wss://stream.exchange.example:9443/ws"
REST_URL = "https://api.exchange.example/api/v3"

TradeCallback = Callable[[str, Decimal, Decimal, int], Awaitable[None]]


@dataclass
class OrderBook:
    symbol: str
    last_update_id: int = 0
    bids: dict[Decimal, Decimal] = field(default_factory=dict)
    asks: dict[Decimal, Decimal] = field(default_factory=dict)

    def apply(self, side: dict[Decimal, Decimal], updates: list[list[str]]) -> None:
        for price, qty in updates:
            p, q = Decimal(price), Decimal(qty)
            if q == 0:
                side.pop(p, None)
            else:
                side[p] = q

    def best(self) -> tuple[Decimal | None, Decimal | None]:
        return (max(self.bids) if self.bids else None, min(self.asks) if self.asks else None)


class MarketFeed:
    def __init__(self, symbols: list[str], on_trade: TradeCallback | None = None) -> None:
        self.symbols = [s.lower() for s in symbols]
        self.books = {s: OrderBook(s) for s in self.symbols}
        self.on_trade = on_trade
        self._ws = None
        self._messages = 0
        self._started = time.monotonic()

    def _url(self) -> str:
        streams = [f"{s}@depth@100ms" for s in self.symbols] + [f"{s}@trade" for s in self.symbols]
        return f"{STREAM_URL}?streams={'/'.join(streams)}"

    async def _snapshot(self, session: aiohttp.ClientSession, symbol: str) -> dict:
        params = {"symbol": symbol.upper(), "limit": 1000}
        timeout = aiohttp.ClientTimeout(total=10)
        async with session.get(f"{REST_URL}/depth", params=params, timeout=timeout) as resp:
            resp.raise_for_status()
            return await resp.json()

    async def _resync(self, session: aiohttp.ClientSession) -> None:
        for symbol, book in self.books.items():
            snap = await self._snapshot(session, symbol)
            book.bids.clear()
            book.asks.clear()
            book.apply(book.bids, snap["bids"])
            book.apply(book.asks, snap["asks"])
            book.last_update_id = snap["lastUpdateId"]

    async def _handle(self, envelope: dict) -> None:
        self._messages += 1
        stream, data = envelope["stream"], envelope["data"]
        symbol = stream.split("@", 1)[0]
        if stream.endswith("@trade") and self.on_trade is not None:
            await self.on_trade(symbol, Decimal(data["p"]), Decimal(data["q"]), data["T"])
            return
        book = self.books[symbol]
        if data["u"] <= book.last_update_id:
            return
        book.apply(book.bids, data["b"])
        book.apply(book.asks, data["a"])
        book.last_update_id = data["u"]

    async def run(self) -> None:
        async with aiohttp.ClientSession() as session:
            async for ws in websockets.connect(  # error: WSU104
                self._url(),
                ping_interval=180,
                ping_timeout=600,
                max_queue=4096,  # error: WSU410
                close_timeout=1,
            ):
                self._ws = ws
                try:
                    await self._resync(session)
                    async for raw in ws:
                        await self._handle(json.loads(raw))
                except ConnectionClosed as exc:
                    log.warning("stream closed code=%s reason=%s", exc.code, exc.reason)  # error: WSU208, WSU208
                    continue
                except aiohttp.ClientResponseError as exc:
                    log.error("snapshot failed: %s %s", exc.status, exc.message)
                    await asyncio.sleep(5)

    async def subscribe(self, symbol: str) -> None:
        if self._ws is None or not self._ws.open:  # error: WSU201
            raise RuntimeError("feed is not connected")
        symbol = symbol.lower()
        self.books.setdefault(symbol, OrderBook(symbol))
        params = [f"{symbol}@depth@100ms", f"{symbol}@trade"]
        await self._ws.send(json.dumps({"method": "SUBSCRIBE", "params": params, "id": int(time.time())}))

    def stats(self) -> dict:
        uptime = time.monotonic() - self._started
        return {
            "connected": bool(self._ws and self._ws.open),  # error: WSU201
            "messages": self._messages,
            "rate": self._messages / uptime if uptime else 0.0,
        }


async def user_data_stream(api_key: str) -> None:
    headers = {"X-MBX-APIKEY": api_key}
    async with aiohttp.ClientSession(headers=headers) as session:
        async with session.post(f"{REST_URL}/userDataStream") as resp:
            listen_key = (await resp.json())["listenKey"]
    while True:
        try:
            async with websockets.connect(f"{USER_STREAM_URL}/{listen_key}", timeout=5) as ws:  # error: WSU104, WSU406
                async for raw in ws:
                    event = json.loads(raw)
                    log.info("account event %s", event.get("e"))
        except InvalidStatusCode as exc:
            if exc.status_code == 400:  # error: WSU105
                log.error("listen key expired")
                return
            raise
        except ConnectionClosed:
            await asyncio.sleep(1)


async def print_trade(symbol: str, price: Decimal, qty: Decimal, ts: int) -> None:
    log.info("%s %s x %s @ %d", symbol, price, qty, ts)


async def main() -> None:
    feed = MarketFeed(["BTCUSDT", "ETHUSDT"], on_trade=print_trade)
    task = asyncio.create_task(feed.run())
    while not task.done():
        await asyncio.sleep(30)
        log.info("stats %s", feed.stats())


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main())
