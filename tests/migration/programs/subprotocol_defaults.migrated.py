"""subprotocol_defaults.py migrated by hand: a ``select_subprotocol`` callable that ranks
as the legacy server did (the lowest sum of both sides' positions) and keeps accepting
clients that offer no subprotocol."""

import asyncio

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve
from websockets.exceptions import InvalidHandshake

SUBPROTOCOLS = ["v2", "v1"]


def best_for_both(connection, subprotocols):
    shared = [p for p in SUBPROTOCOLS if p in subprotocols]
    if not shared:
        return None
    return min(shared, key=lambda p: SUBPROTOCOLS.index(p) + subprotocols.index(p))


async def handler(websocket):
    await websocket.send(f"speaking {websocket.subprotocol}")


async def main():
    async with serve(
        handler, "127.0.0.1", 0, subprotocols=SUBPROTOCOLS, select_subprotocol=best_for_both
    ) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        for offer in [["v2"], ["v1", "x-draft", "x-beta", "v2"], None]:
            try:
                async with connect(uri, subprotocols=offer) as websocket:
                    print(f"offered {offer}: {await websocket.recv()}")
            except InvalidHandshake as exc:
                print(f"offered {offer}: {exc}")


asyncio.run(main())
