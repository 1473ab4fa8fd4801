"""Basic Auth plus an unauthenticated health check: the guide's "ill-defined option".

``create_protocol=basic_auth_protocol_factory(...)`` (imported from the deprecated
``websockets.auth`` module) together with a ``process_request=`` argument. Which of the
two runs first is what the legacy server happens to do; the transcript records it.

Manual: WSU411 does not rewrite a ``serve()`` that already has ``process_request``; the
guide's recipe composes ``basic_auth(...)`` inside one ``process_request`` coroutine.
"""
# migration: manual
# rules: WSU101, WSU106, WSU302, WSU411
# expect-warning: websockets_impl.auth, an alias for websockets_impl.legacy.auth, is deprecated

import asyncio
import http

from websockets.auth import basic_auth_protocol_factory
from websockets.exceptions import InvalidHandshake
from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def health_check(path, request_headers):
    if path == "/healthz":
        return http.HTTPStatus.OK, [], b"OK\n"
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
    async with serve(
        handler,
        "127.0.0.1",
        0,
        create_protocol=basic_auth_protocol_factory(realm="ops", credentials=("ops", "pa55")),
        process_request=health_check,
    ) as server:
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
