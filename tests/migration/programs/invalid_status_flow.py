"""A client reporting HTTP rejections, with the exception flowing through helpers.

An overloaded endpoint answers the handshake with ``503`` and a ``Retry-After`` header.
The client catches every exception, narrows it with ``isinstance`` to read the status and
the header, and formats it in a helper annotated with the class. The fix renames
``InvalidStatusCode`` to ``InvalidStatus`` and moves ``.status_code`` / ``.headers`` to
``.response`` in all three places.
"""
# migration: auto
# rules: WSU101, WSU105
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: InvalidStatusCode is deprecated

import asyncio

from websockets.exceptions import InvalidStatusCode
from websockets.legacy.client import connect


async def overloaded(reader, writer):
    await reader.readuntil(b"\r\n\r\n")
    writer.write(
        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 30\r\n"
        b"Content-Length: 5\r\nConnection: close\r\n\r\nbusy\n"
    )
    await writer.drain()
    writer.close()


def describe(exc: InvalidStatusCode) -> str:
    return f"HTTP {exc.status_code}"


def retry_after(exc: Exception) -> str:
    if isinstance(exc, InvalidStatusCode):
        return f"{describe(exc)}, retry after {exc.headers['Retry-After']}s"
    return f"gave up: {type(exc).__name__}"


async def main():
    server = await asyncio.start_server(overloaded, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with connect(f"ws://127.0.0.1:{port}/"):
            print("connected?")
    except Exception as exc:
        print(retry_after(exc))
    print(retry_after(ValueError()))
    server.close()
    await server.wait_closed()


asyncio.run(main())
