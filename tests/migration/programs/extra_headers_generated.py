"""``extra_headers`` on ``serve()`` as a mapping and as a callable, next to a rejection.

One server adds fixed headers, another computes them from the request with a callable
taking ``(path, request_headers)``, and its ``process_request`` rejects ``/private`` with
a 403 that must not get them. The fix generates a ``process_response`` for each server
that adds the headers to the ``101`` response only, as the legacy server did.
"""
# migration: auto
# rules: WSU101, WSU205, WSU302, WSU401, WSU402
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: declare process_request as a coroutine

import asyncio
import http

from websockets.legacy.client import connect
from websockets.legacy.server import serve

STATIC = {"X-Served-By": "node-1", "Cache-Control": "no-store"}
SHOWN = ["X-Served-By", "Cache-Control", "X-Tenant-Echo", "X-Route"]


def tenant_headers(path, request_headers):
    tenant = request_headers.get("X-Tenant", "public")
    return [("X-Tenant-Echo", tenant), ("X-Route", path)]


def private(path, request_headers):
    if path == "/private":
        return http.HTTPStatus.FORBIDDEN, [], b"private\n"


async def hello(websocket):
    await websocket.send("hello")


async def http_get(port, path):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    status_line = (await reader.readline()).decode().rstrip()
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    writer.close()
    await writer.wait_closed()
    return status_line, headers


async def main():
    async with (
        serve(hello, "127.0.0.1", 0, extra_headers=STATIC) as static,
        serve(
            hello, "127.0.0.1", 0, extra_headers=tenant_headers, process_request=private
        ) as dynamic,
    ):
        for server, name in [(static, "static"), (dynamic, "dynamic")]:
            port = server.sockets[0].getsockname()[1]
            for path, tenant in [("/v1/stream", "acme"), ("/v1/stream", None)]:
                headers = {"X-Tenant": tenant} if tenant else {}
                async with connect(
                    f"ws://127.0.0.1:{port}{path}", extra_headers=headers
                ) as websocket:
                    await websocket.recv()
                    got = websocket.response_headers
                    print(f"{name} {tenant}:", [(k, got[k]) for k in SHOWN if k in got])
        status_line, headers = await http_get(port, "/private")
        print("private:", status_line, sorted(set(headers) & {k.lower() for k in SHOWN}))


asyncio.run(main())
