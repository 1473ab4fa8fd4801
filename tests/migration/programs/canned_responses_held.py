"""A ``process_request`` whose answers come from a table holds back its ``serve()``.

``process_request`` returns ``CANNED.get(path)``: legacy ``(status, headers, body)``
tuples kept in a dict, which no fix can turn into ``connection.respond(...)`` calls. The
handler still takes ``(websocket, path)``, which alone would be fixable. ``wsu check
--fix`` must keep this ``serve()``, its handler and ``process_request`` on the legacy
implementation, consistent, and say what blocks them.

Manual: the table holds ``(status, text, headers)`` and ``process_request`` builds the
response with ``connection.respond()``.
"""
# migration: manual
# rules: WSU101, WSU301, WSU302
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: remove second argument of ws_handler

import asyncio
import http

from websockets.legacy.server import serve

CANNED = {
    "/robots.txt": (http.HTTPStatus.OK, [("Content-Type", "text/plain")], b"Disallow: /\n"),
    "/old": (http.HTTPStatus.GONE, [("X-Moved-To", "/feed")], b"gone\n"),
}


async def canned(path, request_headers):
    return CANNED.get(path)


async def feed(websocket, path):
    await websocket.send(f"feed at {path}")


async def http_get(port, path):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    status_line = (await reader.readline()).decode().rstrip()
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", 0)))
    writer.close()
    return status_line, headers.get("x-moved-to"), body


async def main():
    async with serve(feed, "127.0.0.1", 0, process_request=canned) as server:
        port = server.sockets[0].getsockname()[1]
        for path in ["/robots.txt", "/old"]:
            print(path, await http_get(port, path))
        print("/feed", (await http_get(port, "/feed"))[0])


asyncio.run(main())
