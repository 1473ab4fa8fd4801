"""Hand migration of canned_responses_held.py: the table feeds connection.respond()."""

import asyncio
import http

from websockets.asyncio.server import serve

CANNED = {
    "/robots.txt": (http.HTTPStatus.OK, "Disallow: /\n", {}),
    "/old": (http.HTTPStatus.GONE, "gone\n", {"X-Moved-To": "/feed"}),
}


async def canned(connection, request):
    if request.path not in CANNED:
        return None
    status, text, headers = CANNED[request.path]
    response = connection.respond(status, text)
    response.headers.update(headers)
    return response


async def feed(websocket):
    await websocket.send(f"feed at {websocket.request.path}")


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
