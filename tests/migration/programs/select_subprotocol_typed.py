"""A typed legacy ``select_subprotocol`` reading the server's list, a module constant.

The function is annotated and checks the client's offer against the server's list,
which ``serve()`` gets from the module constant ``SUPPORTED``. The fix keeps the
annotation of the client's list and reads ``SUPPORTED`` where the server's list was.
"""
# migration: auto
# rules: WSU101, WSU303
# expect-warning: websockets_impl.legacy is deprecated

import asyncio
from collections.abc import Sequence

from websockets.legacy.client import connect
from websockets.legacy.server import serve

SUPPORTED = ["json.v2", "json.v1"]


def negotiate(client_subprotocols: Sequence[str], server_subprotocols: Sequence[str]) -> str | None:
    offered = [p for p in client_subprotocols if p in server_subprotocols]
    return offered[-1] if offered else None


async def handler(websocket):
    await websocket.send(f"speaking {websocket.subprotocol}")


async def main():
    async with serve(
        handler, "127.0.0.1", 0, subprotocols=SUPPORTED, select_subprotocol=negotiate
    ) as server:
        port = server.sockets[0].getsockname()[1]
        for offer in [["json.v1", "json.v2"], ["json.v2", "json.v1"], ["xml"]]:
            async with connect(f"ws://127.0.0.1:{port}/", subprotocols=offer) as websocket:
                print(offer, "->", await websocket.recv())


asyncio.run(main())
