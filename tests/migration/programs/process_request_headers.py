"""An HTTP gate in ``process_request``: answers with extra headers, and aborts.

``process_request(path, request_headers)`` answers ``/version`` with a JSON body and two
extra headers, refuses a request without the right token by raising ``AbortHandshake``
(with a ``WWW-Authenticate`` header) and lets the rest through to the handler. The fix
rewrites it as ``process_request(connection, request)``: each answer becomes
``connection.respond(...)`` with the headers set on the response, returned.
"""
# migration: auto
# rules: WSU101, WSU105, WSU302, WSU401
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: AbortHandshake is deprecated

import asyncio
import http

from websockets.exceptions import AbortHandshake
from websockets.legacy.client import connect
from websockets.legacy.server import serve

VERSION = {"Content-Type": "application/json", "Cache-Control": "no-store"}


async def gate(path, request_headers):
    if path == "/version":
        return http.HTTPStatus.OK, VERSION, b'{"version": 3}'
    if request_headers.get("X-Token") != "secret":
        raise AbortHandshake(
            http.HTTPStatus.UNAUTHORIZED,
            [("WWW-Authenticate", "Token")],
            f"no token for {path}\n".encode(),
        )
    return None


async def handler(websocket):
    async for message in websocket:
        await websocket.send(f"pong: {message}")


async def http_get(port, path, token=""):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Token: {token}\r\n"
        "Connection: close\r\n\r\n".encode()
    )
    status_line = (await reader.readline()).decode().rstrip()
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    body = await reader.readexactly(int(headers["content-length"][0]))
    writer.close()
    await writer.wait_closed()
    return status_line, headers, body


async def main():
    async with serve(handler, "127.0.0.1", 0, process_request=gate) as server:
        port = server.sockets[0].getsockname()[1]
        status_line, headers, body = await http_get(port, "/version")
        print(status_line, headers["content-type"], headers["cache-control"], body)
        status_line, headers, body = await http_get(port, "/feed")
        print(status_line, headers["www-authenticate"], body)
        async with connect(
            f"ws://127.0.0.1:{port}/feed", extra_headers={"X-Token": "secret"}
        ) as websocket:
            await websocket.send("ping")
            print("websocket /feed ->", await websocket.recv())


asyncio.run(main())
