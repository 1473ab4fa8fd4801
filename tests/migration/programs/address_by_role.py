"""``host`` / ``port`` / ``secure`` read on both sides of a connection, fixed by role.

The handler's connection is the server's: its ``host`` / ``port`` were the address it
listens on, now ``local_address``. What ``connect()`` opened is the client's: they were
the server's address, now ``remote_address``. ``secure`` (in a ``not``) tells whether TLS
is in use on either side.
"""
# migration: auto
# rules: WSU101, WSU206
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: instead of host
# expect-warning: instead of port
# expect-warning: don't use secure

import asyncio
import socket

from websockets.legacy.client import connect
from websockets.legacy.server import serve


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PORT = free_port()


async def handler(websocket):
    listening = f"{websocket.host}:{websocket.port - PORT}"
    plain = "plain" if not websocket.secure else "tls"
    await websocket.send(f"server listening on {listening} (+PORT), {plain}")


async def main():
    async with serve(handler, "127.0.0.1", PORT):
        websocket = await connect(f"ws://127.0.0.1:{PORT}/")
        print(await websocket.recv())
        print("client connected to", websocket.host, websocket.port == PORT, websocket.secure)
        await websocket.close()


asyncio.run(main())
