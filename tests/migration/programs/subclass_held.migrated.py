"""Hand migration of subclass_held.py: the peer is recorded by a ServerConnection subclass."""

import asyncio

from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve

PEERS = []


class PeerLogger(ServerConnection):
    def connection_made(self, transport):
        super().connection_made(transport)
        PEERS.append(self.remote_address[0])


def add_node_header(connection, request, response):
    response.headers["X-Node"] = "n1"
    return response


async def echo_path(websocket):
    async for message in websocket:
        await websocket.send(f"{websocket.request.path}: {message}")


async def main():
    async with serve(
        echo_path,
        "127.0.0.1",
        0,
        create_connection=PeerLogger,
        process_response=add_node_header,
    ) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}/echo") as websocket:
            await websocket.send("hi")
            print(await websocket.recv(), websocket.response.headers["X-Node"])
    print("peers:", PEERS)


asyncio.run(main())
