"""Helpers for the asyncio tests: servers on 127.0.0.1 and raw, misbehaving peers."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import socket
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from websockets_impl.asyncio.server import Server, ServerConnection, serve
from websockets_impl.frames import Frame, Opcode

HOST = "127.0.0.1"
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


async def echo(ws: ServerConnection) -> None:
    async for message in ws:
        await ws.send(message)


@asynccontextmanager
async def run_server(
    handler: Callable[[ServerConnection], Awaitable[None]] = echo, **kwargs: Any
) -> AsyncIterator[Server]:
    async with serve(handler, HOST, 0, **kwargs) as server:
        yield server


def get_uri(server: Server, secure: bool = False, path: str = "/") -> str:
    port = server.sockets[0].getsockname()[1]
    return f"{'wss' if secure else 'ws'}://{HOST}:{port}{path}"


def get_port(server: Server) -> int:
    port: int = server.sockets[0].getsockname()[1]
    return port


def encode_frame(frame: Frame, mask: bool) -> bytes:
    """Serialize a frame without validation, so tests can send invalid ones."""
    first = (0x80 if frame.fin else 0) | int(frame.opcode)
    first |= (0x40 if frame.rsv1 else 0) | (0x20 if frame.rsv2 else 0) | (0x10 if frame.rsv3 else 0)
    data = bytes(frame.data)
    length = len(data)
    mask_bit = 0x80 if mask else 0
    if length < 126:
        header = struct.pack("!BB", first, mask_bit | length)
    elif length < 65536:
        header = struct.pack("!BBH", first, mask_bit | 126, length)
    else:
        header = struct.pack("!BBQ", first, mask_bit | 127, length)
    if not mask:
        return header + data
    key = os.urandom(4)
    masked = bytes(b ^ key[i % 4] for i, b in enumerate(data))
    return header + key + masked


async def read_frame(reader: asyncio.StreamReader) -> Frame:
    """Read one frame (masked or not) from a raw stream."""
    first, second = await reader.readexactly(2)
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", await reader.readexactly(2))
    elif length == 127:
        (length,) = struct.unpack("!Q", await reader.readexactly(8))
    key = await reader.readexactly(4) if second & 0x80 else None
    data = await reader.readexactly(length)
    if key is not None:
        data = bytes(b ^ key[i % 4] for i, b in enumerate(data))
    return Frame(Opcode(first & 0x0F), data, fin=bool(first & 0x80))


class RawClient:
    """A TCP client that speaks WebSocket by hand, to misbehave on purpose."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def connect(
        cls, port: int, handshake: bool = True, rcvbuf: int | None = None
    ) -> RawClient:
        """Connect; ``rcvbuf`` shrinks the socket's receive buffer, set before connecting."""
        sock = socket.socket()
        if rcvbuf is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, (HOST, port))
        reader, writer = await asyncio.open_connection(sock=sock)
        client = cls(reader, writer)
        if handshake:
            status = await client.handshake()
            assert status.startswith(b"HTTP/1.1 101"), status
        return client

    async def handshake(self, path: str = "/") -> bytes:
        """Send a valid opening handshake request and return the response head."""
        key = base64.b64encode(os.urandom(16)).decode()
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        return await self.reader.readuntil(b"\r\n\r\n")

    def send_frame(self, frame: Frame) -> None:
        self.writer.write(encode_frame(frame, mask=True))

    async def read_frame(self) -> Frame:
        return await read_frame(self.reader)

    async def read_until_close(self) -> Frame:
        """Read frames until a close frame and return it."""
        while True:
            frame = await self.read_frame()
            if frame.opcode is Opcode.CLOSE:
                return frame

    async def at_eof(self, timeout: float = 2) -> bool:
        """Whether the server closed the TCP connection within ``timeout``."""
        try:
            async with asyncio.timeout(timeout):
                while await self.reader.read(65536):
                    pass
        except (TimeoutError, ConnectionError):
            return False
        return True

    def close(self) -> None:
        self.writer.close()


@asynccontextmanager
async def raw_server(
    handle: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]],
) -> AsyncIterator[int]:
    """Run a TCP server whose connections ``handle`` drives; yield its port."""
    tasks: set[asyncio.Task[None]] = set()

    async def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        tasks.add(task)
        try:
            await handle(reader, writer)
        except asyncio.CancelledError:
            # Cancelled at shutdown: end quietly rather than log an error from asyncio.
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(on_connection, HOST, 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def accept_handshake(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, extra: str = ""
) -> bytes:
    """Answer a client's opening handshake by hand; return the request head."""
    request = await reader.readuntil(b"\r\n\r\n")
    key = ""
    for line in request.decode().split("\r\n"):
        name, _, value = line.partition(":")
        if name.lower() == "sec-websocket-key":
            key = value.strip()
    accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
    writer.write(
        f"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Accept: {accept}\r\n{extra}\r\n".encode()
    )
    return request
