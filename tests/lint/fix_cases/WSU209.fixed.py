"""A server that reports how many clients it holds, half migrated: the new `serve()`,
with the legacy server's `websockets` set still read."""

import asyncio
import logging

from websockets.asyncio.server import Server, serve

log = logging.getLogger(__name__)


async def handler(websocket):
    await websocket.wait_closed()


def report(server: Server) -> None:
    log.info("%d clients", len(server.connections))


class Hub:
    async def start(self):
        self.server = await serve(handler, "", 8000)

    def count(self):
        return len(self.server.connections)


async def main():
    async with serve(handler, "", 8001) as server:
        while True:
            for websocket in server.connections:
                await websocket.send("tick")
            report(server)
            await asyncio.sleep(1)


def reset(server: Server) -> None:
    # Assigning the attribute gets a hint only.
    server.websockets = set()
