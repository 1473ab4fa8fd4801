"""A legacy ``select_subprotocol`` that picks in the server's order of preference.

It reads both lists: the client's offer and the server's own ``subprotocols``, written as
a literal in the ``serve()`` call. The new signature has no server list: the fix moves
the literal into a module constant that the call and the function share.
"""
# migration: auto
# rules: WSU101, WSU303
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import serve


def prefer_server_order(client_subprotocols, server_subprotocols):
    for subprotocol in server_subprotocols:
        if subprotocol in client_subprotocols:
            return subprotocol
    return None


async def handler(websocket):
    await websocket.send(f"server speaks {websocket.subprotocol}")


async def main():
    async with serve(
        handler,
        "127.0.0.1",
        0,
        subprotocols=["chat.v3", "chat.v2", "chat.v1"],
        select_subprotocol=prefer_server_order,
    ) as server:
        port = server.sockets[0].getsockname()[1]
        for offer in [["chat.v1", "chat.v3"], ["chat.v2", "chat.v1"], ["chat.v1"], ["x"], None]:
            async with connect(f"ws://127.0.0.1:{port}/", subprotocols=offer) as websocket:
                greeting = await websocket.recv()
                print(f"offered {offer}: agreed {websocket.subprotocol}; {greeting}")


asyncio.run(main())
