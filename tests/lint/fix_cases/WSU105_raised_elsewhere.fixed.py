# wsu: target-version=14.0
"""Where the `InvalidStatusCode` an `except` catches comes from: this module's `connect()`
(in the `try`, or in a method it calls) is renamed with it; a client the module only calls
into (another package's, fastapi-websocket-pubsub) keeps raising the legacy exception, so
the clause around it is left as it is."""

import logging

import websockets.exceptions
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from .rpc import RpcClient


class Feed:
    def __init__(self, uri):
        self.uri = uri

    async def _listen(self):
        async with connect(self.uri) as ws:
            return await ws.recv()

    async def run(self):
        try:
            return await self._listen()
        except InvalidStatus as exc:
            logging.error("rejected with %s", exc.response.status_code)
            raise

    async def _send(self, data):
        ws = await self._listen()
        try:
            await ws.send(data)
        except OSError:
            await self.reset()  # a cycle: reset() -> resume() -> _send()

    async def resume(self):
        await self._send("resume")

    async def reset(self):
        await self.resume()

    async def send(self, data):
        try:
            await self._send(data)
        except InvalidStatus as exc:
            return exc.response.status_code

    async def restart(self):
        try:
            await self.resume()
        except InvalidStatus as exc:  # resume() reaches _listen() through _send()
            return exc.response.status_code


async def direct(uri):
    try:
        async with connect(uri) as ws:
            return await ws.recv()
    except websockets.exceptions.InvalidStatus as exc:
        return exc.response.status_code


async def through_another_client(uri):
    try:
        async with RpcClient(uri):
            pass
    except websockets.exceptions.InvalidStatusCode as err:
        logging.error("rejected with %s", err.status_code)
        raise
