"""host_port_secure.py migrated by hand: ``local_address`` on the server side,
``remote_address`` on the client side, and the URI scheme for ``secure``."""

import asyncio
import socket

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

LISTENING = {}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def handler(websocket):
    here = websocket.local_address[:2] == LISTENING["address"]
    secure = websocket.transport.get_extra_info("sslcontext") is not None
    await websocket.send(f"server: on the listening address: {here}, secure: {secure}")


async def main():
    LISTENING["address"] = ("127.0.0.1", free_port())
    async with serve(handler, *LISTENING["address"]):
        uri = "ws://{}:{}/".format(*LISTENING["address"])
        async with connect(uri) as websocket:
            print(await websocket.recv())
            there = websocket.remote_address[:2] == LISTENING["address"]
            print(f"client: to the listening address: {there}, secure: {uri.startswith('wss:')}")


asyncio.run(main())
