"""Handshake keys, payload masking (RFC 6455 sections 4 and 5.3) and socket names."""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
from collections.abc import Callable
from functools import cache

from .typing import BytesLike

__all__ = ["accept_key", "apply_mask", "generate_key", "get_socket_name"]

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

# Payloads from this size up are masked with strided translate(), below with one big
# integer XOR; see benchmarks/masking.py for the measurements behind the figure.
TRANSLATE_THRESHOLD = 32 * 1024


def generate_key() -> str:
    """A random Sec-WebSocket-Key: 16 random bytes, base64-encoded."""
    return base64.b64encode(secrets.token_bytes(16)).decode()


def accept_key(key: str) -> str:
    """The Sec-WebSocket-Accept value that answers Sec-WebSocket-Key ``key``."""
    sha1 = hashlib.sha1((key + GUID).encode(), usedforsecurity=False).digest()
    return base64.b64encode(sha1).decode()


def apply_mask_python(data: BytesLike, mask: bytes) -> bytes:
    """XOR ``data`` with the 4-byte ``mask`` repeated; masking and unmasking alike.

    The pure-Python ``apply_mask``, used when the C accelerator isn't built.

    Raises:
        ValueError: ``mask`` isn't 4 bytes long.
    """
    if len(mask) != 4:
        raise ValueError("mask must contain 4 bytes")
    if len(data) >= TRANSLATE_THRESHOLD:
        return mask_translate(data, mask)
    return mask_int(data, mask)


# The C accelerator (websockets_impl/speedups.c, optional at install time) when it was
# built, else the pure-Python version. Both accept bytes, bytearray and memoryview for
# ``data`` and a 4-byte bytes ``mask``, which is all the callers rely on.
apply_mask: Callable[[BytesLike, bytes], bytes]
try:
    from .speedups import apply_mask
except ImportError:
    apply_mask = apply_mask_python


def masked_frame_python(header: bytes, mask: bytes, data: BytesLike) -> bytes:
    """``header + mask + apply_mask(data, mask)``: a masked frame from its parts.

    The pure-Python ``masked_frame``, used when the C accelerator isn't built (or was
    built before it had ``masked_frame``).
    """
    return header + mask + apply_mask(data, mask)


# The C version builds the frame in one allocation: for a large payload that saves a
# copy and, more, the page faults of a second large buffer.
masked_frame: Callable[[bytes, bytes, BytesLike], bytes]
try:
    from .speedups import masked_frame
except ImportError:
    masked_frame = masked_frame_python


def mask_int(data: BytesLike, mask: bytes) -> bytes:
    """Mask with a single XOR of two big integers; cheapest for small payloads."""
    size = len(data)
    quotient, remainder = divmod(size, 4)
    key = mask * quotient + mask[:remainder]
    return (int.from_bytes(data, "little") ^ int.from_bytes(key, "little")).to_bytes(size, "little")


def mask_translate(data: BytesLike, mask: bytes) -> bytes:
    """Mask each of the four byte lanes with ``bytes.translate``; fastest for large payloads."""
    view = bytes(data)
    output = bytearray(view)
    for lane in range(4):
        output[lane::4] = view[lane::4].translate(_xor_table(mask[lane]))
    return bytes(output)


@cache
def _xor_table(byte: int) -> bytes:
    # At most 256 tables of 256 bytes each.
    return bytes(value ^ byte for value in range(256))


def get_socket_name(sock: socket.socket) -> str:
    """The address ``sock`` is bound to, for logs: ``host:port``, ``[host]:port`` (IPv6)
    or the path of a Unix socket.

    Raises:
        AssertionError: ``sock`` belongs to another address family.
    """
    name = sock.getsockname()
    if sock.family == socket.AF_INET:
        return f"{name[0]}:{name[1]}"
    if sock.family == socket.AF_INET6:
        return f"[{name[0]}]:{name[1]}"
    if sock.family == getattr(socket, "AF_UNIX", None):
        return str(name)
    raise AssertionError(f"unsupported address family: {sock.family!r}")
