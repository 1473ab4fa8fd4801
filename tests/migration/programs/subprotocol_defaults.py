"""A server with a list of ``subprotocols`` and no ``select_subprotocol``.

The legacy server picks the subprotocol that ranks best for both sides together and
accepts clients that offer none; the new server picks the first of its own list that the
client offers and rejects clients that offer none. So the fixer leaves the server legacy
(the reason names WSU502), and the hand migration passes a ``select_subprotocol`` that
negotiates as the legacy server did.
"""
# migration: manual
# rules: WSU101
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from websockets.exceptions import InvalidHandshake
from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def handler(websocket):
    await websocket.send(f"speaking {websocket.subprotocol}")


async def main():
    async with serve(handler, "127.0.0.1", 0, subprotocols=["v2", "v1"]) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        for offer in [["v2"], ["v1", "x-draft", "x-beta", "v2"], None]:
            try:
                async with connect(uri, subprotocols=offer) as websocket:
                    print(f"offered {offer}: {await websocket.recv()}")
            except InvalidHandshake as exc:
                print(f"offered {offer}: {exc}")


asyncio.run(main())
