"""patched_reconnect, migrated by hand: the new ``connect`` retries only what
``process_exception`` returns an exception for; a 404 is raised at once, so the loop
stops without a patch, and the caller reads ``exc.response.status_code``."""

import asyncio

from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus


class SessionExpired(Exception):
    pass


async def not_found(reader, writer):
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(not_found, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        try:
            async for _ in connect(f"ws://127.0.0.1:{port}/"):
                print("connected?")
        except InvalidStatus as exc:
            if exc.response.status_code == 404:
                raise SessionExpired(f"HTTP {exc.response.status_code}") from exc
            raise
    except SessionExpired as exc:
        print("session expired:", exc)
    server.close()
    await server.wait_closed()


asyncio.run(main())
