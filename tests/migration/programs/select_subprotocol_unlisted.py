"""A ``select_subprotocol`` callback on a server that lists no ``subprotocols``.

The legacy server calls ``select_subprotocol`` only when it has a list of subprotocols
and the client offers some, so here the callback never runs and no subprotocol is ever
agreed. The new server calls it for every handshake.
"""
# migration: auto
# rules: WSU101, WSU303
# expect-warning: websockets_impl.legacy is deprecated
# behaviour-change: WSU303 (with WSU101) -- the new server calls select_subprotocol even without a subprotocols= list, and also when the client offers none, so "chat" gets negotiated where the legacy server negotiated nothing

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import serve

calls = []


def select_subprotocol(client_subprotocols, server_subprotocols):
    calls.append(list(client_subprotocols))
    if "chat" in client_subprotocols:
        return "chat"


async def handler(websocket):
    await websocket.send(f"subprotocol: {websocket.subprotocol}")


async def main():
    async with serve(handler, "127.0.0.1", 0, select_subprotocol=select_subprotocol) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        for offer in [["chat"], ["superchat"], None]:
            async with connect(uri, subprotocols=offer) as websocket:
                print(f"offered {offer}: {await websocket.recv()}")
    print("select_subprotocol calls:", calls)


asyncio.run(main())
