"""The floor of the echo benchmark: the same bytes echoed over bare asyncio TCP.

No framing, no masking, no handshake: the server writes back what it reads, the client
reads back as many bytes as it sent. What a WebSocket implementation costs per round
trip is its time above this floor; two processes waking each other up is the floor
itself, and no implementation can go below it. ``serve`` and ``connect`` take the
calling convention of the implementations in ``echo_impls`` and ignore their options.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit


class _Echo(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.transport.write(data)


@asynccontextmanager
async def serve(handler: Any, host: str, port: int, **options: Any) -> AsyncIterator[Any]:
    server = await asyncio.get_running_loop().create_server(_Echo, host, port)
    async with server:
        yield server


class Client(asyncio.Protocol):
    """``send()`` writes a message; ``recv()`` returns the next one, of the size sent."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.sizes: deque[int] = deque()
        self.waiter: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def _wake(self) -> None:
        if self.waiter is not None and self.sizes and len(self.buffer) >= self.sizes[0]:
            self.waiter.set_result(None)
            self.waiter = None

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._wake()

    async def send(self, message: bytes) -> None:
        self.sizes.append(len(message))
        self.transport.write(message)
        self._wake()

    async def recv(self) -> bytes:
        if not self.sizes or len(self.buffer) < self.sizes[0]:
            self.waiter = asyncio.get_running_loop().create_future()
            await self.waiter
        size = self.sizes.popleft()
        message = bytes(self.buffer[:size])
        del self.buffer[:size]
        return message


@asynccontextmanager
async def connect(uri: str, **options: Any) -> AsyncIterator[Client]:
    parts = urlsplit(uri)
    loop = asyncio.get_running_loop()
    transport, client = await loop.create_connection(Client, parts.hostname, parts.port)
    try:
        yield client
    finally:
        transport.close()
