"""One use no fix can migrate holds back the whole server.

The server counts TCP connections in a ``WebSocketServerProtocol`` subclass overriding
``connection_made`` (asyncio internals the new implementation does not expose), passed as
``create_protocol=``. Its handler takes the legacy ``path`` argument and its
``process_request`` the legacy ``(path, request_headers)``: both have fixes, but applying
them without moving ``serve()`` (which the subclass prevents) would break the server, so
``--fix --unsafe-fixes`` leaves the server alone; ``timeout=`` becomes ``close_timeout=``,
right on both implementations. The client, which depends on nothing of the server's,
moves to the new implementation.
"""
# migration: manual
# rules: WSU101, WSU301, WSU302, WSU304, WSU404, WSU406
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: rename timeout to close_timeout
# expect-warning: remove second argument of ws_handler
# expect-warning: declare process_request as a coroutine

import asyncio
import http

from websockets.legacy.client import connect
from websockets.legacy.server import WebSocketServerProtocol, serve

CONNECTIONS = []


class CountingProtocol(WebSocketServerProtocol):
    def connection_made(self, transport):
        CONNECTIONS.append(len(CONNECTIONS) + 1)
        super().connection_made(transport)


def health(path, request_headers):
    if path == "/healthz":
        return http.HTTPStatus.OK, [], b"OK\n"
    return None


async def echo(websocket, path):
    async for message in websocket:
        await websocket.send(f"{path}: {message}")


async def talk(port):
    async with connect(f"ws://127.0.0.1:{port}/room") as websocket:
        await websocket.send("hello")
        print(await websocket.recv())


async def main():
    async with serve(
        echo,
        "127.0.0.1",
        0,
        create_protocol=CountingProtocol,
        process_request=health,
        timeout=5,
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
