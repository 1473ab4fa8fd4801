"""Reading and writing frames over asyncio streams (RFC 6455, section 5).

The legacy :class:`Frame` is a named tuple with ``fin`` first, as it always was;
:attr:`Frame.new_frame` converts it to :class:`~websockets_impl.frames.Frame`,
which extensions and serialization work with.
"""

from __future__ import annotations

import struct
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, NamedTuple

from .. import frames
from ..exceptions import PayloadTooBig, ProtocolError
from ..extensions import Extension
from ..frames import Close, Opcode
from ..typing import BytesLike
from ..utils import apply_mask

__all__ = [
    "Frame",
    "parse_close",
    "prepare_ctrl",
    "prepare_data",
    "serialize_close",
]


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
