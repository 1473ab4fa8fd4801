"""redirect.py migrated by hand: ``respond()`` then add the ``Location`` header."""

import asyncio
import http

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve


async def moved(connection, request):
    if request.path.startswith("/v1/"):
        location = "/v2/" + request.path[len("/v1/") :]
        response = connection.respond(http.HTTPStatus.MOVED_PERMANENTLY, "moved\n")
        response.headers["Location"] = location
        return response
    return None


async def handler(websocket):
    await websocket.send(f"you reached {websocket.request.path}")


async def http_get(port, path):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    status_line = (await reader.readline()).decode().rstrip()
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers["content-length"]))
    writer.close()
    await writer.wait_closed()
    return status_line, headers.get("location"), body


async def main():
    async with serve(handler, "127.0.0.1", 0, process_request=moved) as server:
        port = server.sockets[0].getsockname()[1]
        print("GET /v1/feed ->", *await http_get(port, "/v1/feed"))
        async with connect(f"ws://127.0.0.1:{port}/v1/feed") as websocket:
            print("websocket /v1/feed ->", await websocket.recv())


asyncio.run(main())
