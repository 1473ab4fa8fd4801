"""held_create_protocol, migrated by hand: the TCP connections are counted where the new
server creates a connection for each (``create_connection=``), the rest as the fixes do."""

import asyncio
import http

from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve

CONNECTIONS = []


class CountingConnection(ServerConnection):
    def __init__(self, *args, **kwargs):
        CONNECTIONS.append(len(CONNECTIONS) + 1)
        super().__init__(*args, **kwargs)


def health(connection, request):
    if request.path == "/healthz":
        return connection.respond(http.HTTPStatus.OK, "OK\n")
    return None


async def echo(websocket):
    async for message in websocket:
        await websocket.send(f"{websocket.request.path}: {message}")


async def talk(port):
    async with connect(f"ws://127.0.0.1:{port}/room") as websocket:
        await websocket.send("hello")
        print(await websocket.recv())


async def main():
    async with serve(
        echo,
        "127.0.0.1",
        0,
        create_connection=CountingConnection,
        process_request=health,
        close_timeout=5,
    ) as server:
        port = server.sockets[0].getsockname()[1]
        await talk(port)
        await talk(port)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        status = (await reader.readline()).decode().strip()
        print(f"health: {status}")
        writer.close()
        await writer.wait_closed()
    print(f"connections: {len(CONNECTIONS)}")


asyncio.run(main())
