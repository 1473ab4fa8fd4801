"""A ``process_request`` with its allow-list bound by ``functools.partial``.

``allow_only(allowed, path, request_headers)`` is passed as
``process_request=functools.partial(allow_only, {"/chat", "/news"})``: the server fills
the last two parameters. The fix rewrites those two only, the bound one stays.
"""
# migration: auto
# rules: WSU101, WSU302
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: declare process_request as a coroutine

import asyncio
import functools
import http

from websockets.exceptions import InvalidHandshake
from websockets.legacy.client import connect
from websockets.legacy.server import serve


def allow_only(allowed, path, request_headers):
    if path not in allowed:
        return http.HTTPStatus.NOT_FOUND, [], f"no room at {path}\n".encode()
    return None


async def room(websocket):
    await websocket.send("joined")


async def main():
    gate = functools.partial(allow_only, {"/chat", "/news"})
    async with serve(room, "127.0.0.1", 0, process_request=gate) as server:
        port = server.sockets[0].getsockname()[1]
        for path in ["/chat", "/attic", "/news"]:
            try:
                async with connect(f"ws://127.0.0.1:{port}{path}") as websocket:
                    print(path, await websocket.recv())
            except InvalidHandshake as exc:
                print(path, "refused:", "404" in str(exc))


asyncio.run(main())
