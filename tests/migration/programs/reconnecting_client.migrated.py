"""reconnecting_client.py migrated by hand: ``process_exception`` returning ``None`` retries
every error, as the legacy loop did (returning the exception would end the loop)."""

import asyncio
import itertools

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

QUOTES = itertools.cycle(["carpe diem", "memento mori", "tempus fugit"])


def retry_everything(exc):
    return None


async def one_quote(websocket):
    await websocket.send(f"{websocket.request.path}: {next(QUOTES)}")
    await websocket.close(1001, "come back later")


async def main():
    async with serve(one_quote, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/quotes"
        received = []
        async for websocket in connect(uri, process_exception=retry_everything):
            try:
                received.append(await websocket.recv())
                await websocket.recv()
            except ConnectionClosed as exc:
                print(f"connection {len(received)} ended: {type(exc).__name__}")
            if len(received) == 3:
                break
        print(*received, sep="\n")


asyncio.run(main())
