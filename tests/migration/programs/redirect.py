"""A moved endpoint: ``process_request`` answers old paths with a redirect.

The legacy ``process_request`` returns ``(status, headers, body)`` with a ``Location``
header; a plain HTTP client and a websocket client show what happens.

Manual: WSU302 rewrites returns only when they add no headers, because
``connection.respond()`` takes a status and a text; here the response is built with
``respond()`` and its headers are updated by hand.
"""
# migration: manual
# rules: WSU101, WSU203, WSU302
# expect-warning: websockets_impl.legacy is deprecated

import asyncio
import http

from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def moved(path, request_headers):
    if path.startswith("/v1/"):
        location = "/v2/" + path[len("/v1/") :]
        return http.HTTPStatus.MOVED_PERMANENTLY, [("Location", location)], b"moved\n"
    return None


async def handler(websocket):
    await websocket.send(f"you reached {websocket.path}")


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
