"""subprotocol_subclass.py migrated by hand: a ``select_subprotocol`` callable, which also
keeps accepting clients that offer no subprotocol."""

import asyncio

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

VERSIONS = ["telemetry.v3", "telemetry.v2", "telemetry.v1"]


def newest_version(connection, subprotocols):
    for subprotocol in VERSIONS:
        if subprotocol in subprotocols:
            return subprotocol
    return None


async def handler(websocket):
    await websocket.send(f"speaking {websocket.subprotocol or 'the unversioned protocol'}")


async def main():
    async with serve(
        handler, "127.0.0.1", 0, subprotocols=VERSIONS, select_subprotocol=newest_version
    ) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        for offer in [["telemetry.v1", "telemetry.v3"], ["telemetry.v2"], None]:
            async with connect(uri, subprotocols=offer) as websocket:
                print(f"offered {offer}: {await websocket.recv()}")


asyncio.run(main())
