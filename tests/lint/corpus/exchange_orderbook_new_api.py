"""Level-2 order book client for a Coinbase-style exchange feed (websockets 15+).

Authenticates with an HMAC signature, subscribes to the level2 and heartbeat channels,
checks sequence numbers and reconnects with the library's backoff.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import os
import time
from decimal import Decimal

from websockets.asyncio.client import ClientConnection, connect, process_exception
from websockets.exceptions import ConnectionClosed, ConnectionClosedError, InvalidStatus
from websockets.protocol import State

log = logging.getLogger(__name__)

FEED_URL = os.environ.get("FEED_URL", "wss://ws-feed.exchange.example")
PRODUCTS = ["BTC-USD", "ETH-USD"]


class SequenceGap(Exception):
    pass


def sign(secret: str, timestamp: str, method: str = "GET", path: str = "/users/self/verify") -> str:
    message = f"{timestamp}{method}{path}".encode()
    digest = hmac.new(base64.b64decode(secret), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def retry_policy(exc: Exception) -> Exception | None:
    # invalid credentials never get better: stop; everything else uses the default policy
    if isinstance(exc, InvalidStatus) and exc.response.status_code in (401, 403):
        return exc
    return process_exception(exc)


class Book:
    def __init__(self, product: str) -> None:
        self.product = product
        self.bids: dict[Decimal, Decimal] = {}
        self.asks: dict[Decimal, Decimal] = {}
        self.sequence = -1

    def snapshot(self, msg: dict) -> None:
        self.bids = {Decimal(p): Decimal(s) for p, s in msg["bids"]}
        self.asks = {Decimal(p): Decimal(s) for p, s in msg["asks"]}

    def update(self, msg: dict) -> None:
        for side, price, size in msg["changes"]:
            book = self.bids if side == "buy" else self.asks
            if Decimal(size) == 0:
                book.pop(Decimal(price), None)
            else:
                book[Decimal(price)] = Decimal(size)

    def spread(self) -> Decimal | None:
        if not self.bids or not self.asks:
            return None
        return min(self.asks) - max(self.bids)


class FeedClient:
    def __init__(self, key: str, secret: str, passphrase: str) -> None:
        self.key, self.secret, self.passphrase = key, secret, passphrase
        self.books = {p: Book(p) for p in PRODUCTS}
        self.ws: ClientConnection | None = None

    @property
    def connected(self) -> bool:
        return self.ws is not None and self.ws.state is State.OPEN

    def _subscribe_message(self) -> str:
        timestamp = str(time.time())
        return json.dumps(
            {
                "type": "subscribe",
                "product_ids": PRODUCTS,
                "channels": ["level2", "heartbeat"],
                "signature": sign(self.secret, timestamp),
                "key": self.key,
                "passphrase": self.passphrase,
                "timestamp": timestamp,
            }
        )

    def _on_message(self, msg: dict) -> None:
        kind = msg.get("type")
        if kind == "snapshot":
            self.books[msg["product_id"]].snapshot(msg)
        elif kind == "l2update":
            self.books[msg["product_id"]].update(msg)
        elif kind == "heartbeat":
            book = self.books[msg["product_id"]]
            if book.sequence >= 0 and msg["sequence"] != book.sequence + 1:
                raise SequenceGap(f"{book.product}: {book.sequence} -> {msg['sequence']}")
            book.sequence = msg["sequence"]
        elif kind == "error":
            log.error("feed error: %s (%s)", msg.get("message"), msg.get("reason"))

    async def run(self) -> None:
        async for ws in connect(
            FEED_URL,
            additional_headers={"CB-ACCESS-KEY": self.key},
            user_agent_header="book-client/3.1",
            process_exception=retry_policy,
            max_size=2**24,
            max_queue=64,
            close_timeout=2,
        ):
            self.ws = ws
            try:
                await ws.send(self._subscribe_message())
                async for raw in ws:
                    self._on_message(json.loads(raw))
            except SequenceGap as gap:
                log.warning("resubscribing after %s", gap)
                await ws.close(code=1000, reason="resync")
            except ConnectionClosedError as exc:
                frame = exc.rcvd
                if frame is not None:
                    log.warning("feed dropped us: %d %s", frame.code, frame.reason)
            except ConnectionClosed:
                log.info("feed closed normally (%s %s)", ws.close_code, ws.close_reason)
            finally:
                self.ws = None


async def report(client: FeedClient) -> None:
    while True:
        await asyncio.sleep(10)
        spreads = {p: b.spread() for p, b in client.books.items()}
        log.info("connected=%s spreads=%s", client.connected, spreads)


async def main() -> None:
    client = FeedClient(os.environ["FEED_KEY"], os.environ["FEED_SECRET"], os.environ["FEED_PASSPHRASE"])
    await asyncio.gather(client.run(), report(client))


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main())
