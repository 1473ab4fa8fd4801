"""A client that reconnects with ``async for websocket in connect(...)``.

The server serves one quote per connection and closes; the client keeps reconnecting
until it has three quotes. The legacy loop retried after any error, the new one only after
network errors and HTTP 5xx: the fixer leaves the loop legacy (the reason names WSU503),
and the hand migration passes a ``process_exception`` that retries everything.
"""
# migration: manual
# rules: WSU101, WSU301
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: remove second argument of ws_handler

import asyncio
import itertools

from websockets.exceptions import ConnectionClosed
from websockets.legacy.client import connect
from websockets.legacy.server import serve

QUOTES = itertools.cycle(["carpe diem", "memento mori", "tempus fugit"])


async def one_quote(websocket, path):
    await websocket.send(f"{path}: {next(QUOTES)}")
    await websocket.close(1001, "come back later")


async def main():
    async with serve(one_quote, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/quotes"
        received = []
        async for websocket in connect(uri):
            try:
                received.append(await websocket.recv())
                await websocket.recv()
            except ConnectionClosed as exc:
                print(f"connection {len(received)} ended: {type(exc).__name__}")
            if len(received) == 3:
                break
        print(*received, sep="\n")


asyncio.run(main())
