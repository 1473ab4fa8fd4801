"""Shared helpers for the legacy implementation's tests (not a conftest: names must be unique)."""

from __future__ import annotations

import asyncio
import contextlib
import warnings
from collections.abc import AsyncIterator
from typing import Any

with warnings.catch_warnings():
    # The import warning is tested in a subprocess; don't repeat it at collection.
    warnings.simplefilter("ignore", DeprecationWarning)
    from websockets_impl.legacy.client import WebSocketClientProtocol, connect
    from websockets_impl.legacy.server import WebSocketServer, WebSocketServerProtocol, serve

__all__ = [
    "connection_pair",
    "echo",
    "legacy_client",
    "legacy_server",
    "raw_connection",
    "raw_handshake",
    "server_uri",
]


async def echo(ws: WebSocketServerProtocol) -> None:
    async for message in ws:
        await ws.send(message)


def server_uri(server: WebSocketServer, path: str = "/") -> str:
    host, port = server.sockets[0].getsockname()[:2]
    return f"ws://{host}:{port}{path}"


@contextlib.asynccontextmanager
async def legacy_server(handler: Any = echo, **kwargs: Any) -> AsyncIterator[WebSocketServer]:
    kwargs.setdefault("close_timeout", 1)
    async with serve(handler, "127.0.0.1", 0, **kwargs) as server:
        yield server


@contextlib.asynccontextmanager
async def legacy_client(uri: str, **kwargs: Any) -> AsyncIterator[WebSocketClientProtocol]:
    kwargs.setdefault("close_timeout", 1)
    async with connect(uri, **kwargs) as ws:
        yield ws


@contextlib.asynccontextmanager
async def raw_connection(
    server: WebSocketServer,
) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    host, port = server.sockets[0].getsockname()[:2]
    reader, writer = await asyncio.open_connection(host, port)
    try:
        yield reader, writer
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


@contextlib.asynccontextmanager
async def connection_pair(
    server_kwargs: dict[str, Any] | None = None,
    client_kwargs: dict[str, Any] | None = None,
) -> AsyncIterator[tuple[WebSocketServerProtocol, WebSocketClientProtocol]]:
    """Both ends of one connection; the server's handler waits until it's closed."""
    server_side: asyncio.Queue[WebSocketServerProtocol] = asyncio.Queue()

    async def handler(ws: WebSocketServerProtocol) -> None:
        await server_side.put(ws)
        await ws.wait_closed()

    async with (
        legacy_server(handler, **(server_kwargs or {})) as server,
        legacy_client(server_uri(server), **(client_kwargs or {})) as client,
    ):
        yield await server_side.get(), client


async def raw_handshake(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, extra: bytes = b""
) -> bytes:
    """Send a minimal upgrade request; return the response head."""
    writer.write(
        b"GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + extra
        + b"\r\n"
    )
    return await reader.readuntil(b"\r\n\r\n")
