"""A client that stalls in the TLS handshake is bounded by the server's open_timeout."""

from __future__ import annotations

import asyncio
import ssl
import time

import pytest
import trustme

from websockets_impl.asyncio.client import connect
from websockets_impl.asyncio.server import ServerConnection, serve

HOST = "127.0.0.1"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


async def echo(ws: ServerConnection) -> None:
    async for message in ws:
        await ws.send(message)


async def test_stalled_tls_handshake_is_closed_after_open_timeout(ca: trustme.CA) -> None:
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(HOST).configure_cert(server_context)
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)

    async with serve(echo, HOST, 0, ssl=server_context, open_timeout=0.5) as server:
        port = server.sockets[0].getsockname()[1]
        # A TCP client that never starts the TLS handshake.
        reader, writer = await asyncio.open_connection(HOST, port)
        start = time.monotonic()
        async with asyncio.timeout(5):
            try:
                assert await reader.read() == b""
            except ConnectionResetError:
                pass
        # Bounded by open_timeout, not asyncio's 60 s default.
        assert time.monotonic() - start < 3
        writer.close()
        # The server still completes TLS and WebSocket handshakes for others.
        async with asyncio.timeout(5), connect(f"wss://{HOST}:{port}/", ssl=client_context) as ws:
            await ws.send("secure")
            assert await ws.recv() == "secure"
