"""Grid trading bot: keeps buy/sell limit orders at fixed price steps around the market.

Market data and order events arrive on one authenticated websocket. Connection options
come from the config file and are merged with the defaults below. Uses websockets_impl.
"""

import asyncio
import json
import logging
import tomllib
from decimal import Decimal
from pathlib import Path

import websockets_impl

log = logging.getLogger("gridbot")

DEFAULT_CONFIG = Path("gridbot.toml")


def load_config(path: Path = DEFAULT_CONFIG) -> dict:
    with path.open("rb") as f:
        return tomllib.load(f)


def open_socket(url: str, **kwargs):
    kwargs.setdefault("extra_headers", {})  # error: WSU401
    kwargs.setdefault("max_size", 2**22)
    kwargs.setdefault("timeout", 5)  # error: WSU406
    return websockets_impl.connect(url, **kwargs)


class GridBot:
    def __init__(self, config: dict) -> None:
        self.config = config
        self.symbol = config["symbol"]
        self.step = Decimal(str(config["step"]))
        self.levels = int(config.get("levels", 5))
        self.size = Decimal(str(config["size"]))
        self.orders: dict[str, dict] = {}
        self.mid: Decimal | None = None
        self._ws = None

    async def connect(self) -> None:
        options = dict(
            extra_headers={"X-Api-Key": self.config["api_key"]},  # error: WSU401
            max_size=2**22,
            compression=None,
        )
        self._ws = await websockets_impl.connect(self.config["url"], **options)
        await self._ws.send(json.dumps({"op": "subscribe", "args": [f"ticker.{self.symbol}", "orders"]}))

    @property
    def online(self) -> bool:
        return self._ws is not None and self._ws.open  # error: WSU201

    async def place(self, side: str, price: Decimal) -> None:
        if not self.online:
            log.warning("offline, not placing %s @ %s", side, price)
            return
        await self._ws.send(
            json.dumps({"op": "order.place", "symbol": self.symbol, "side": side, "price": str(price), "qty": str(self.size)})
        )

    async def rebuild_grid(self) -> None:
        assert self.mid is not None
        for i in range(1, self.levels + 1):
            await self.place("buy", self.mid - self.step * i)
            await self.place("sell", self.mid + self.step * i)

    async def on_event(self, event: dict) -> None:
        topic = event.get("topic", "")
        if topic.startswith("ticker.") and self.mid is None:
            self.mid = Decimal(event["data"]["last"])
            await self.rebuild_grid()
        elif topic == "orders" and event["data"]["status"] == "filled":
            order = event["data"]
            price = Decimal(order["price"])
            opposite = "sell" if order["side"] == "buy" else "buy"
            target = price + self.step if opposite == "sell" else price - self.step
            log.info("filled %s @ %s -> placing %s @ %s", order["side"], price, opposite, target)
            await self.place(opposite, target)

    async def run(self) -> None:
        while True:
            try:
                await self.connect()
                async for raw in self._ws:
                    await self.on_event(json.loads(raw))
            except websockets_impl.ConnectionClosed as exc:
                log.warning("disconnected (%s): %s", exc.code, exc.reason)  # error: WSU208, WSU208
            except OSError as exc:
                log.warning("network error: %s", exc)
            self.mid = None
            await asyncio.sleep(3)


async def public_ticker(config: dict) -> None:
    opts = {
        "extra_headers": {"X-Api-Key": config["api_key"]},  # error: WSU401
        "ping_interval": config.get("ping_interval", 15),
        "close_timeout": 3,
    }
    async with websockets_impl.connect(config["public_url"], **opts) as ws:
        await ws.send(json.dumps({"op": "subscribe", "args": [f"ticker.{config['symbol']}"]}))
        async for raw in ws:
            log.debug("tick %s", raw)


async def probe(url: str) -> bool:
    try:
        ws = await open_socket(url, open_timeout=3)
    except OSError:
        return False
    await ws.close()
    return True


async def main() -> None:
    logging.basicConfig(level=logging.INFO)
    config = load_config()
    if not await probe(config["url"]):
        raise SystemExit("exchange unreachable")
    await asyncio.gather(GridBot(config).run(), public_ticker(config))


if __name__ == "__main__":
    asyncio.run(main())
