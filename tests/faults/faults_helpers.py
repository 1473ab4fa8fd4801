"""Peers that break TCP connections on purpose, and the two implementations under test.

The misbehaving peers are plain blocking sockets driven from a thread, so that they keep
running whatever the event loop under test does: a loop starved by a sending coroutine
can't hide the fault by also starving the peer.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import socket
import struct
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from websockets_impl.asyncio.client import connect as asyncio_connect
from websockets_impl.asyncio.server import serve as asyncio_serve

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from websockets_impl.legacy.client import connect as legacy_connect
    from websockets_impl.legacy.server import serve as legacy_serve

HOST = "127.0.0.1"
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

# Every fault must be noticed well within this many seconds.
BOUND = 5.0
# Short timeouts for the connections under test, so that nothing waits for the defaults.
TIMEOUTS: dict[str, Any] = {"open_timeout": 2, "close_timeout": 1}


def reset(sock: socket.socket) -> None:
    """Close with an RST instead of a FIN: SO_LINGER on with a zero timeout."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def open_peer(port: int) -> socket.socket:
    sock = socket.create_connection((HOST, port), timeout=BOUND)
    sock.settimeout(BOUND)
    return sock


def listening_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind((HOST, 0))
    sock.listen(1)
    sock.settimeout(BOUND)
    return sock


def request_head(path: str = "/") -> bytes:
    key = base64.b64encode(os.urandom(16)).decode()
    return (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()


def read_head(sock: socket.socket) -> bytes:
    """Read an HTTP head; what follows it in the same read is dropped (tests send none)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError(f"connection closed after {data!r}")
        data += chunk
    return data


def client_handshake(sock: socket.socket, path: str = "/") -> None:
    sock.sendall(request_head(path))
    head = read_head(sock)
    assert head.startswith(b"HTTP/1.1 101"), head


def response_head(request: bytes) -> bytes:
    key = b""
    for line in request.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"sec-websocket-key":
            key = value.strip()
    accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
    return (
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
    )


def server_handshake(sock: socket.socket) -> None:
    sock.sendall(response_head(read_head(sock)))


def frame(opcode: int, payload: bytes, *, masked: bool) -> bytes:
    """A final frame; clients mask, servers don't."""
    length = len(payload)
    mask_bit = 0x80 if masked else 0
    if length < 126:
        header = struct.pack("!BB", 0x80 | opcode, mask_bit | length)
    elif length < 65536:
        header = struct.pack("!BBH", 0x80 | opcode, mask_bit | 126, length)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, mask_bit | 127, length)
    if not masked:
        return header + payload
    # A zero mask leaves the payload as is.
    return header + b"\x00\x00\x00\x00" + payload


@dataclass(frozen=True)
class Impl:
    """One implementation under test: how to serve, connect and read a request path."""

    name: str
    serve: Callable[[Callable[[Any], Awaitable[None]]], Any]
    connect: Callable[[str], Awaitable[Any]]
    path: Callable[[Any], str]

    @contextlib.asynccontextmanager
    async def server(self, handler: Callable[[Any], Awaitable[None]]) -> AsyncIterator[int]:
        """Run a server on 127.0.0.1; yield its port."""
        async with self.serve(handler) as server:
            yield server.sockets[0].getsockname()[1]


def _asyncio_path(ws: Any) -> str:
    path: str = ws.request.path
    return path


def _legacy_path(ws: Any) -> str:
    path: str = ws.path
    return path


IMPLS = [
    Impl(
        "asyncio",
        lambda handler: asyncio_serve(handler, HOST, 0, **TIMEOUTS),
        lambda uri: asyncio_connect(uri, **TIMEOUTS),  # type: ignore[arg-type,return-value]
        _asyncio_path,
    ),
    Impl(
        "legacy",
        lambda handler: legacy_serve(handler, HOST, 0, **TIMEOUTS),
        lambda uri: legacy_connect(uri, **TIMEOUTS),  # type: ignore[arg-type,return-value]
        _legacy_path,
    ),
]
