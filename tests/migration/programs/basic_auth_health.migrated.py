"""basic_auth_health.py migrated by hand with the guide's recipe: one ``process_request``
coroutine that runs ``basic_auth(...)`` first (as the legacy server did), then the
health check."""

import asyncio
import http

from websockets.asyncio.client import connect
from websockets.asyncio.server import basic_auth, serve
from websockets.exceptions import InvalidHandshake

process_basic_auth = basic_auth(realm="ops", credentials=("ops", "pa55"))


async def process_request(connection, request):
    response = await process_basic_auth(connection, request)
    if response is not None:
        return response
    if request.path == "/healthz":
        return connection.respond(http.HTTPStatus.OK, "OK\n")
    return None


async def handler(websocket):
    await websocket.send(f"welcome, {websocket.username}")


async def http_status(port, path, authorization=None):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    extra = f"Authorization: {authorization}\r\n" if authorization else ""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode())
    status_line = (await reader.readline()).decode().rstrip()
    writer.close()
    await writer.wait_closed()
    return status_line


async def main():
    async with serve(handler, "127.0.0.1", 0, process_request=process_request) as server:
        port = server.sockets[0].getsockname()[1]
        print("GET /healthz ->", await http_status(port, "/healthz"))
        print("GET /healthz with credentials ->", await http_status(port, "/healthz", "Basic b3BzOnBhNTU="))
        for credentials in ["ops:pa55@", "ops:wrong@", ""]:
            try:
                async with connect(f"ws://{credentials}127.0.0.1:{port}/") as websocket:
                    print(f"{credentials or 'anonymous'}: {await websocket.recv()}")
            except InvalidHandshake as exc:
                print(f"{credentials or 'anonymous'}: {exc}")


asyncio.run(main())
