"""A client whose reconnect loop is patched in another module to stop on HTTP 404.

The legacy reconnect loop retries on any exception; ``_session_patch`` replaces
``Connect.__aiter__`` with one that catches ``InvalidStatusCode`` and gives up on a 404.
That module makes no call: only its legacy patch (no fix moves it) says it stays legacy,
so its exception rename is held back with it. Renamed alone, ``except InvalidStatus``
would never match what the legacy handshake raises.
"""
# migration: manual
# rules: WSU101, WSU105
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: InvalidStatusCode is deprecated

import asyncio

from _session_patch import SessionExpired
from websockets.legacy.client import connect


async def not_found(reader, writer):
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(not_found, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async for _ in connect(f"ws://127.0.0.1:{port}/"):
            print("connected?")
    except SessionExpired as exc:
        print("session expired:", exc)
    server.close()
    await server.wait_closed()


asyncio.run(main())
