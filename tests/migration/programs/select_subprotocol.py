"""Subprotocol negotiation with the legacy ``select_subprotocol`` signature.

The guide's example: pick ``chat`` when the client offers it, and nothing otherwise.
Clients offer different lists and print what was agreed.
"""
# migration: auto
# rules: WSU101, WSU303
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import serve


def select_subprotocol(client_subprotocols, server_subprotocols):
    if "chat" in client_subprotocols:
        return "chat"


async def handler(websocket):
    await websocket.send(f"server speaks {websocket.subprotocol}")


async def main():
    async with serve(
        handler, "127.0.0.1", 0, subprotocols=["chat"], select_subprotocol=select_subprotocol
    ) as server:
        port = server.sockets[0].getsockname()[1]
        for offer in [["chat"], ["superchat", "chat"], ["superchat"]]:
            async with connect(f"ws://127.0.0.1:{port}/", subprotocols=offer) as websocket:
                greeting = await websocket.recv()
                print(f"offered {offer}: agreed {websocket.subprotocol}; {greeting}")


asyncio.run(main())
