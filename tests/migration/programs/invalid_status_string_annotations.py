"""A client whose helpers name ``InvalidStatusCode`` only in string annotations.

The endpoint answers the handshake with ``429`` and a ``Retry-After`` header. The class is
imported under ``TYPE_CHECKING`` for one helper and spelled through the module in the
others, so the only run-time uses are the ``except`` clause and ``typing.get_type_hints``,
which evaluates the strings. The fix renames the class inside the strings too: had it
left one, evaluating it on the new implementation would warn.
"""
# migration: auto
# rules: WSU101, WSU105
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: InvalidStatusCode is deprecated

from __future__ import annotations

import asyncio
import sys
import typing
from typing import TYPE_CHECKING, Optional

import websockets.exceptions
from websockets.legacy.client import connect

if TYPE_CHECKING:
    from websockets.exceptions import InvalidStatusCode

last_rejection: "Optional[websockets.exceptions.InvalidStatusCode]" = None


async def busy(reader, writer):
    await reader.readuntil(b"\r\n\r\n")
    writer.write(
        b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\n"
        b"Content-Length: 5\r\nConnection: close\r\n\r\nbusy\n"
    )
    await writer.drain()
    writer.close()


def describe(exc: "InvalidStatusCode") -> str:
    return f"HTTP {exc.status_code}"


def retry_after(exc: "websockets.exceptions.InvalidStatusCode") -> str:
    return exc.headers["Retry-After"]


async def main():
    global last_rejection
    server = await asyncio.start_server(busy, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with connect(f"ws://127.0.0.1:{port}/"):
            print("connected?")
    except websockets.exceptions.InvalidStatusCode as exc:
        last_rejection = exc
    print(f"{describe(last_rejection)}, retry after {retry_after(last_rejection)}s")
    raised = type(last_rejection)
    print("parameter annotation names it:", typing.get_type_hints(retry_after)["exc"] is raised)
    module = typing.get_type_hints(sys.modules[__name__])["last_rejection"]
    print("module annotation names it:", raised in typing.get_args(module))
    server.close()
    await server.wait_closed()


asyncio.run(main())
