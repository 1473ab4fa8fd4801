"""Logging why a connection ended, with ``exc.code`` and ``exc.reason`` in an f-string.

The usual way to write it; the server kicks idle clients with a reason.
"""
# migration: auto
# rules: WSU101, WSU208
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: ConnectionClosed.code is deprecated
# expect-warning: ConnectionClosed.reason is deprecated

import asyncio

from websockets.exceptions import ConnectionClosed
from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def kick_idle(websocket):
    await websocket.send("you have been idle for too long")
    await websocket.close(4008, "idle timeout")


async def main():
    async with serve(kick_idle, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        async with connect(uri) as websocket:
            try:
                while True:
                    print("server says:", await websocket.recv())
            except ConnectionClosed as exc:
                print(f"disconnected: code {exc.code}, reason {exc.reason!r}")


asyncio.run(main())
