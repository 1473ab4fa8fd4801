# wsu: target-version=13.1
"""Private trading channel client (Kraken-style), half-way through the 13.x migration.

The imports already point at the new asyncio implementation; several call sites and
attribute reads still follow the legacy API.
"""

import asyncio
import itertools
import json
import logging
import os
from typing import Optional

import websockets_impl
from websockets_impl.asyncio.client import ClientConnection, connect
from websockets_impl.exceptions import ConnectionClosed, InvalidStatusCode  # error: WSU105

log = logging.getLogger("trader")

PRIVATE_URL = "wss://ws-auth.exchange.example/v2"
PUBLIC_URL = "wss://ws.exchange.example/v2"


class OrderRejected(Exception):
    pass


class TradingClient:
    def __init__(self, token: str) -> None:
        self.token = token
        self.conn: Optional[ClientConnection] = None
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future] = {}
        self._reader: Optional[asyncio.Task] = None

    async def start(self) -> None:
        self.conn = await connect(
            PRIVATE_URL,
            extra_headers={"Authorization": f"Bearer {self.token}"},  # error: WSU401
            ping_interval=15,
            close_timeout=3,
        )
        self._reader = asyncio.create_task(self._read_loop())

    async def stop(self) -> None:
        if self.conn is not None and not self.conn.closed:  # error: WSU202
            await self.conn.close()
        if self._reader is not None:
            self._reader.cancel()

    async def _read_loop(self) -> None:
        assert self.conn is not None
        try:
            async for raw in self.conn:
                msg = json.loads(raw)
                req_id = msg.get("req_id")
                future = self._pending.pop(req_id, None)
                if future is None:
                    log.debug("unsolicited %s", msg.get("channel"))
                elif msg.get("success"):
                    future.set_result(msg.get("result"))
                else:
                    future.set_exception(OrderRejected(msg.get("error")))
        except ConnectionClosed as exc:
            log.warning("private channel closed: %s", exc.reason)  # error: WSU208
            for future in self._pending.values():
                future.set_exception(exc)
            self._pending.clear()

    async def request(self, method: str, params: dict, timeout: float = 5.0):
        if self.conn is None or not self.conn.open:  # error: WSU201
            raise ConnectionError("not connected")
        req_id = next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._pending[req_id] = future
        await self.conn.send(json.dumps({"method": method, "params": params, "req_id": req_id}))
        return await asyncio.wait_for(future, timeout=timeout)

    async def add_order(self, symbol: str, side: str, qty: str, price: str) -> dict:
        params = {
            "order_type": "limit",
            "side": side,
            "symbol": symbol,
            "order_qty": qty,
            "limit_price": price,
            "token": self.token,
        }
        return await self.request("add_order", params)

    async def cancel_all(self) -> dict:
        return await self.request("cancel_all", {"token": self.token})


async def ticker(symbols: list[str]) -> None:
    async with websockets_impl.connect(PUBLIC_URL, max_queue=1024) as ws:  # error: WSU104, WSU410
        await ws.send(json.dumps({"method": "subscribe", "params": {"channel": "ticker", "symbol": symbols}}))
        log.info("ticker on %s:%s", ws.host, ws.port)  # error: WSU206, WSU206
        async for raw in ws:
            msg = json.loads(raw)
            if msg.get("channel") == "ticker":
                for tick in msg["data"]:
                    log.info("%s bid=%s ask=%s", tick["symbol"], tick["bid"], tick["ask"])


async def fetch_token() -> str:
    token = os.environ.get("TRADER_TOKEN")
    if not token:
        raise SystemExit("TRADER_TOKEN is not set")
    return token


async def main() -> None:
    client = TradingClient(await fetch_token())
    try:
        await client.start()
    except InvalidStatusCode as exc:
        log.error("auth failed with HTTP %s", exc.status_code)  # error: WSU105
        return
    ticker_task = asyncio.create_task(ticker(["BTC/USD"]))
    try:
        result = await client.add_order("BTC/USD", "buy", "0.001", "20000")
        log.info("order %s", result)
    except OrderRejected as rejected:
        log.error("rejected: %s", rejected)
    finally:
        await client.cancel_all()
        await client.stop()
        ticker_task.cancel()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main())
