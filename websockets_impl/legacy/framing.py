"""Reading and writing frames over asyncio streams (RFC 6455, section 5).

The legacy :class:`Frame` is a named tuple with ``fin`` first, as it always was;
:attr:`Frame.new_frame` converts it to :class:`~websockets_impl.frames.Frame`,
which extensions and serialization work with.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, NamedTuple

from .. import frames
from ..exceptions import PayloadTooBig, ProtocolError
from ..extensions import Extension
from ..frames import Close, Opcode
from ..typing import BytesLike
from ..utils import apply_mask, masked_frame

__all__ = [
    "Frame",
    "parse_close",
    "prepare_ctrl",
    "prepare_data",
    "serialize_close",
]

_pack_short = struct.Struct("!BB").pack
_pack_medium = struct.Struct("!BBH").pack
_pack_long = struct.Struct("!BBQ").pack
_unpack_medium = struct.Struct("!H").unpack_from
_unpack_long = struct.Struct("!Q").unpack_from


class Frame(NamedTuple):
    fin: bool
    opcode: Opcode
    data: bytes
    rsv1: bool = False
    rsv2: bool = False
    rsv3: bool = False

    @property
    def new_frame(self) -> frames.Frame:
        return frames.Frame(self.opcode, self.data, self.fin, self.rsv1, self.rsv2, self.rsv3)

    def __str__(self) -> str:
        return str(self.new_frame)

    def check(self) -> None:
        """Raise :exc:`~websockets_impl.exceptions.ProtocolError` if the frame is invalid.

        The rules are those of :meth:`websockets_impl.frames.Frame.check`: reserved bits
        are 0, control frames are final and at most 125 bytes.
        """
        self.new_frame.check()

    @classmethod
    async def read(
        cls,
        reader: Callable[[int], Awaitable[bytes]],
        *,
        mask: bool,
        max_size: int | None = None,
        extensions: Sequence[Extension] | None = None,
    ) -> Frame:
        """Read one frame with ``reader`` (e.g. ``StreamReader.readexactly``).

        ``mask`` tells whether the frame must be masked (frames from a client are).
        ``max_size`` limits data frames; control frames are limited to 125 bytes
        by the protocol itself. Extensions decode the frame in reverse order.
        """
        head1, head2 = await reader(2)
        try:
            # A dict lookup is cheaper than calling the enum.
            opcode = frames._OPCODES[head1 & 0b00001111]
        except KeyError:
            raise ProtocolError("invalid opcode") from None
        if bool(head2 & 0b10000000) != mask:
            raise ProtocolError("incorrect masking")
        length = head2 & 0b01111111
        if length == 126:
            (length,) = struct.unpack("!H", await reader(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", await reader(8))
        is_data = opcode in (Opcode.CONT, Opcode.TEXT, Opcode.BINARY)
        if is_data and max_size is not None and length > max_size:
            raise PayloadTooBig(length, max_size)
        if mask:
            # The masking key and the payload in one read.
            data = await reader(4 + length)
            with memoryview(data) as view, view[4:] as payload:
                data = apply_mask(payload, data[:4])
        else:
            data = await reader(length)
        frame = frames.Frame(
            opcode,
            data,
            bool(head1 & 0b10000000),
            bool(head1 & 0b01000000),
            bool(head1 & 0b00100000),
            bool(head1 & 0b00010000),
        )
        for extension in reversed(extensions or []):
            frame = extension.decode(frame, max_size=max_size if is_data else None)
        frame.check()
        return cls(frame.fin, frame.opcode, bytes(frame.data), frame.rsv1, frame.rsv2, frame.rsv3)

    def write(
        self,
        write: Callable[[bytes], Any],
        *,
        mask: bool,
        extensions: Sequence[Extension] | None = None,
    ) -> None:
        """Serialize the frame, encoded by ``extensions``, and pass it to ``write``."""
        # serialize() checks the frame before the extensions encode it.
        write(self.new_frame.serialize(mask=mask, extensions=extensions))


def prepare_data(data: str | BytesLike) -> tuple[Opcode, BytesLike]:
    """Return the opcode and payload of a data frame carrying ``data``.

    ``str`` is sent as text, encoded in UTF-8; bytes-like objects as binary.
    """
    if isinstance(data, str):
        return Opcode.TEXT, data.encode()
    if isinstance(data, BytesLike):
        return Opcode.BINARY, data
    raise TypeError("data must be str or bytes-like")


def prepare_ctrl(data: str | BytesLike) -> bytes:
    """Return the payload of a control frame carrying ``data`` (``str`` in UTF-8)."""
    if isinstance(data, str):
        return data.encode()
    if isinstance(data, BytesLike):
        return bytes(data)
    raise TypeError("data must be str or bytes-like")


def parse_close(data: bytes) -> tuple[int, str]:
    """Parse a close frame's payload into a code and a reason.

    An empty payload gives code 1005; raises ProtocolError or UnicodeDecodeError
    on a payload that RFC 6455 forbids.
    """
    close = Close.parse(data)
    return close.code, close.reason


def serialize_close(code: int, reason: str) -> bytes:
    """Build a close frame's payload."""
    return Close(code, reason).serialize()


def build_frame(first: int, data: bytes, mask: bytes | None) -> tuple[bytes, bytes]:
    """Return a frame's bytes, in two parts if copying ``data`` into one isn't worth it.

    ``first`` is the first byte (FIN, RSV and opcode bits); ``mask`` masks the payload
    when it isn't ``None``. Returns ``(frame, b"")`` or ``(header, data)``.
    """
    length = len(data)
    if mask is not None:
        if length < 126:
            header = _pack_short(first, 0x80 | length)
        elif length < 65536:
            header = _pack_medium(first, 0xFE, length)
        else:
            header = _pack_long(first, 0xFF, length)
        # Header, mask and masked payload in one allocation.
        return masked_frame(header, mask, data), b""
    if length < 126:
        return _pack_short(first, length) + data, b""
    if length < 65536:
        return _pack_medium(first, 126, length) + data, b""
    # Two writes cost less than copying a large payload behind its header.
    return _pack_long(first, 127, length), data


class Reader:
    """The bytes received on a connection, with the subset of :class:`asyncio.StreamReader`
    that the opening handshake uses, and :meth:`read_frame`, which waits for a whole
    frame and parses it in place rather than reading each part of it separately.

    Reading pauses once more than twice ``limit`` bytes are buffered, and resumes when
    the buffer drops back to ``limit`` or a read waits for more data.
    """

    __slots__ = (
        "_buffer",
        "_eof",
        "_exception",
        "_limit",
        "_loop",
        "_paused",
        "_transport",
        "_waiter",
    )

    def __init__(self, limit: int, loop: asyncio.AbstractEventLoop) -> None:
        self._limit = limit
        self._loop = loop
        self._buffer = bytearray()
        self._eof = False
        self._exception: BaseException | None = None
        self._transport: asyncio.BaseTransport | None = None
        self._paused = False
        self._waiter: asyncio.Future[None] | None = None

    def set_transport(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport

    def exception(self) -> BaseException | None:
        return self._exception

    def at_eof(self) -> bool:
        return self._eof and not self._buffer

    def set_exception(self, exc: BaseException) -> None:
        self._exception = exc
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.cancelled():
                waiter.set_exception(exc)

    def _wake_up(self) -> None:
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.cancelled():
                waiter.set_result(None)

    def feed_eof(self) -> None:
        self._eof = True
        self._wake_up()

    def feed_data(self, data: bytes) -> None:
        if not data:
            return
        buffer = self._buffer
        buffer += data
        self._wake_up()
        if len(buffer) > 2 * self._limit and not self._paused and self._transport is not None:
            try:
                self._transport.pause_reading()  # type: ignore[attr-defined]
            except NotImplementedError:
                # A transport that can't pause: buffer without limit.
                self._transport = None
            else:
                self._paused = True

    def _consumed(self, size: int) -> None:
        del self._buffer[:size]
        if self._paused and len(self._buffer) <= self._limit:
            self._paused = False
            self._transport.resume_reading()  # type: ignore[union-attr]

    async def _wait_for_data(self, name: str) -> None:
        if self._waiter is not None:
            raise RuntimeError(
                f"{name}() called while another coroutine is already waiting for incoming data"
            )
        if self._paused:
            # The buffer can't make progress otherwise, e.g. with a frame larger than it.
            self._paused = False
            self._transport.resume_reading()  # type: ignore[union-attr]
        waiter = self._waiter = self._loop.create_future()
        try:
            await waiter
        finally:
            self._waiter = None

    async def readline(self) -> bytes:
        """Read up to and including ``\\n``; at EOF, what's left.

        Raises ValueError if the line is longer than ``limit``; the line is dropped.
        """
        buffer = self._buffer
        while True:
            if self._exception is not None:
                raise self._exception
            end = buffer.find(b"\n") + 1
            if end > self._limit or (end == 0 and len(buffer) > self._limit):
                self._consumed(end or len(buffer))
                raise ValueError("line longer than the limit")
            if end == 0 and self._eof:
                end = len(buffer)
            if end:
                line = bytes(buffer[:end])
                self._consumed(end)
                return line
            if self._eof:
                return b""
            await self._wait_for_data("readline")

    async def readexactly(self, n: int) -> bytes:
        """Read exactly ``n`` bytes; raise IncompleteReadError if EOF comes first."""
        if self._exception is not None:
            raise self._exception
        if n < 0:
            raise ValueError("readexactly size can not be less than zero")
        buffer = self._buffer
        while len(buffer) < n:
            if self._exception is not None:
                raise self._exception
            if self._eof:
                incomplete = bytes(buffer)
                buffer.clear()
                raise asyncio.IncompleteReadError(incomplete, n)
            await self._wait_for_data("readexactly")
        data = bytes(buffer[:n])
        self._consumed(n)
        return data

    async def read_frame(self, mask: bool, max_size: int | None) -> tuple[int, bytes]:
        """Read a frame; return its first byte (FIN, RSV and opcode bits) and its payload.

        ``mask`` tells whether the frame must be masked; ``max_size`` limits data frames.
        Raises ProtocolError for an invalid opcode or masking, PayloadTooBig as soon as
        the length is known, IncompleteReadError if EOF comes before the end of the frame.
        """
        buffer = self._buffer
        while True:
            if self._exception is not None:
                raise self._exception
            size = len(buffer)
            if size >= 2:
                first = buffer[0]
                second = buffer[1]
                opcode = first & 0x0F
                if opcode not in frames._OPCODES:
                    raise ProtocolError("invalid opcode")
                if (second >= 0x80) is not mask:
                    raise ProtocolError("incorrect masking")
                length = second & 0x7F
                start = 2
                if length == 126:
                    start = 4
                    if size >= 4:
                        (length,) = _unpack_medium(buffer, 2)
                elif length == 127:
                    start = 10
                    if size >= 10:
                        (length,) = _unpack_long(buffer, 2)
                if size >= start:
                    if opcode < 8 and max_size is not None and length > max_size:
                        raise PayloadTooBig(length, max_size)
                    end = start + length + 4 if mask else start + length
                    if size >= end:
                        with memoryview(buffer) as view:
                            if mask:
                                data = apply_mask(view[start + 4 : end], view[start : start + 4])
                            else:
                                data = bytes(view[start:end])
                        self._consumed(end)
                        return first, data
            if self._eof:
                incomplete = bytes(buffer)
                buffer.clear()
                raise asyncio.IncompleteReadError(incomplete, None)
            await self._wait_for_data("read_frame")
