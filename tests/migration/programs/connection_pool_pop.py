"""websocks: a pool keeps idle connections in a set and takes one out with `pop()`, then
reads `.closed` on it. The fix must see the popped entry as a connection: moving the
`connect()` alone would leave `.closed` on a new connection (AttributeError).
"""
# migration: auto
# rules: WSU101, WSU202
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from websockets.asyncio.server import serve
from websockets.legacy.client import connect


async def echo(websocket):
    async for message in websocket:
        await websocket.send(f"echo {message}")


class Pool:
    def __init__(self):
        self._free = set()

    async def create(self, uri):
        self._free.add(await connect(uri, open_timeout=5))

    async def acquire(self):
        connection = self._free.pop()
        if connection.closed:
            return None
        return connection


async def main():
    async with serve(echo, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        pool = Pool()
        await pool.create(uri)
        connection = await pool.acquire()
        await connection.send("ping")
        print(await connection.recv())
        await connection.close()
        pool._free.add(connection)
        print(await pool.acquire())


asyncio.run(main())
