"""A health check answered over plain HTTP by ``process_request``.

The guide's example: a load balancer probes ``/healthz``; ``process_request(path,
request_headers)`` answers it with a ``(status, headers, body)`` tuple and lets every
other request through to the websocket handler. It is a plain function, which the
legacy server accepts with a warning.
"""
# migration: auto
# rules: WSU101, WSU302
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: declare process_request as a coroutine

import asyncio
import http

from websockets.legacy.client import connect
from websockets.legacy.server import serve


def health_check(path, request_headers):
    if path == "/healthz":
        return http.HTTPStatus.OK, [], b"OK\n"


async def handler(websocket):
    async for message in websocket:
        await websocket.send(f"pong: {message}")


async def http_get(port, path):
    """What a load balancer does: one HTTP/1.1 GET, then read the whole answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
    )
    status_line = (await reader.readline()).decode().rstrip()
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers["content-length"]))
    writer.close()
    await writer.wait_closed()
    return status_line, body


async def main():
    async with serve(handler, "127.0.0.1", 0, process_request=health_check) as server:
        port = server.sockets[0].getsockname()[1]
        status_line, body = await http_get(port, "/healthz")
        print(f"GET /healthz -> {status_line!r} {body!r}")
        async with connect(f"ws://127.0.0.1:{port}/live") as websocket:
            await websocket.send("ping")
            print("websocket /live ->", await websocket.recv())
        status_line, body = await http_get(port, "/healthz")
        print(f"GET /healthz again -> {status_line!r} {body!r}")


asyncio.run(main())
