"""Subprotocol selection overridden in a ``WebSocketServerProtocol`` subclass.

The server prefers the newest version of its protocol the client offers, and still
accepts old clients that offer no subprotocol at all (the legacy server did by default).

Manual: ``select_subprotocol`` overridden in a legacy subclass gets a hint only
(WSU303, WSU304, WSU404). The new server rejects clients that offer no subprotocol when
it has a list, unless a ``select_subprotocol`` callable accepts them.
"""
# migration: manual
# rules: WSU101, WSU303, WSU304, WSU404
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import WebSocketServerProtocol, serve

VERSIONS = ["telemetry.v3", "telemetry.v2", "telemetry.v1"]


class NewestVersionProtocol(WebSocketServerProtocol):
    def select_subprotocol(self, client_subprotocols, server_subprotocols):
        for subprotocol in server_subprotocols:
            if subprotocol in client_subprotocols:
                return subprotocol
        return None


async def handler(websocket):
    await websocket.send(f"speaking {websocket.subprotocol or 'the unversioned protocol'}")


async def main():
    async with serve(
        handler, "127.0.0.1", 0, subprotocols=VERSIONS, create_protocol=NewestVersionProtocol
    ) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        for offer in [["telemetry.v1", "telemetry.v3"], ["telemetry.v2"], None]:
            async with connect(uri, subprotocols=offer) as websocket:
                print(f"offered {offer}: {await websocket.recv()}")


asyncio.run(main())
