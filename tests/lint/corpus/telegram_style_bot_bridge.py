"""Bridge between a Telegram-style bot API (HTTP long polling) and a websocket live view.

The bot receives chat updates with getUpdates; each update is shown live to operators
connected over websockets, and operators can reply through the bot. Server side runs on
the new asyncio implementation.
"""

import asyncio
import json
import logging
import os

import aiohttp
from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed

log = logging.getLogger("bridge")

BOT_TOKEN = os.environ.get("BOT_TOKEN", "123:abc")
API = f"https://api.bot-platform.example/bot{BOT_TOKEN}"
OPERATOR_KEY = os.environ.get("OPERATOR_KEY", "letmein")


class BotClient:
    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session
        self.offset = 0

    async def call(self, method: str, **params) -> dict:
        async with self.session.post(f"{API}/{method}", json=params, timeout=aiohttp.ClientTimeout(total=40)) as resp:
            data = await resp.json()
            if not data.get("ok"):
                raise RuntimeError(f"{method} failed: {data.get('description')}")
            return data["result"]

    async def updates(self):
        while True:
            try:
                batch = await self.call("getUpdates", offset=self.offset, timeout=30)
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                log.warning("polling failed: %s", exc)
                await asyncio.sleep(5)
                continue
            for update in batch:
                self.offset = update["update_id"] + 1
                yield update

    async def send_message(self, chat_id: int, text: str) -> dict:
        return await self.call("sendMessage", chat_id=chat_id, text=text)


class Bridge:
    def __init__(self, bot: BotClient) -> None:
        self.bot = bot
        self.operators: set[ServerConnection] = set()

    async def operator(self, websocket: ServerConnection) -> None:
        if websocket.request.headers.get("X-Operator-Key") != OPERATOR_KEY:
            await websocket.close(4403, "forbidden")
            return
        self.operators.add(websocket)
        log.info("operator connected from %s on %s", websocket.remote_address, websocket.path)  # error: WSU203
        try:
            async for raw in websocket:
                command = json.loads(raw)
                if command.get("type") == "reply":
                    await self.bot.send_message(command["chat_id"], command["text"])
        except ConnectionClosed as exc:
            if exc.rcvd is not None:
                log.info("operator left: %s", exc.rcvd.reason or exc.rcvd.code)
        finally:
            self.operators.discard(websocket)

    async def forward_updates(self) -> None:
        async for update in self.bot.updates():
            message = update.get("message")
            if not message:
                continue
            event = {
                "type": "message",
                "chat_id": message["chat"]["id"],
                "from": message.get("from", {}).get("username"),
                "text": message.get("text", ""),
            }
            broadcast(self.operators, json.dumps(event))


async def main() -> None:
    logging.basicConfig(level=logging.INFO)
    async with aiohttp.ClientSession() as session:
        bridge = Bridge(BotClient(session))
        async with serve(bridge.operator, "0.0.0.0", 8090, ping_interval=30, close_timeout=5):
            await bridge.forward_updates()


if __name__ == "__main__":
    asyncio.run(main())
