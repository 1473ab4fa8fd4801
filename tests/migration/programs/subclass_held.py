"""One use no fix can migrate holds back the whole ``serve()``.

``PeerLogger`` overrides ``connection_made``, which the new connection classes don't
have; it is installed with ``create_protocol=``. The same server's handler still takes
the legacy ``(websocket, path)`` arguments and the call passes ``extra_headers=``, both
of which have fixes; the client next to it is plain. Switching this server to the new
implementation needs the subclass rewritten by hand, so ``wsu check --fix`` must leave
the server, its handler and its arguments on the legacy implementation, consistent,
and keep reporting what blocks them.

Manual: migrated by hand to a ``ServerConnection`` subclass whose ``__init__`` is not
needed (the peer is ``remote_address``), passed as ``create_connection=``.
"""
# migration: manual
# rules: WSU101, WSU205, WSU301, WSU304, WSU402, WSU404
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: remove second argument of ws_handler

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import WebSocketServerProtocol, serve

PEERS = []


class PeerLogger(WebSocketServerProtocol):
    def connection_made(self, transport):
        PEERS.append(transport.get_extra_info("peername")[0])
        super().connection_made(transport)


async def echo_path(websocket, path):
    async for message in websocket:
        await websocket.send(f"{path}: {message}")


async def main():
    async with serve(
        echo_path,
        "127.0.0.1",
        0,
        create_protocol=PeerLogger,
        extra_headers={"X-Node": "n1"},
    ) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}/echo") as websocket:
            await websocket.send("hi")
            print(await websocket.recv(), websocket.response_headers["X-Node"])
    print("peers:", PEERS)


asyncio.run(main())
