"""Logging where connections come from with the deprecated ``host``, ``port``, ``secure``.

On the server, ``host`` / ``port`` were the address it was asked to listen on; on the
client, the server's address. Both sides check them against the listening address.

Manual: WSU206 has no fix; the replacement (``local_address`` / ``remote_address``)
depends on the side of the connection.
"""
# migration: manual
# rules: WSU101, WSU206
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: instead of host
# expect-warning: instead of port
# expect-warning: don't use secure

import asyncio
import socket

from websockets.legacy.client import connect
from websockets.legacy.server import serve

LISTENING = {}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def handler(websocket):
    here = (websocket.host, websocket.port) == LISTENING["address"]
    await websocket.send(f"server: on the listening address: {here}, secure: {websocket.secure}")


async def main():
    LISTENING["address"] = ("127.0.0.1", free_port())
    async with serve(handler, *LISTENING["address"]):
        uri = "ws://{}:{}/".format(*LISTENING["address"])
        async with connect(uri) as websocket:
            print(await websocket.recv())
            there = (websocket.host, websocket.port) == LISTENING["address"]
            print(f"client: to the listening address: {there}, secure: {websocket.secure}")


asyncio.run(main())
