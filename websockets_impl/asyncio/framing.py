"""Fast paths for the frames that make up most traffic: whole text and binary messages.

The Sans-I/O protocol handles every frame correctly but costs several generator steps
and objects per frame. Once a connection is open without extensions or with
permessage-deflate alone, whole (unfragmented) data frames are parsed and built here
instead, compressed ones inflated and deflated here too; anything else, including every
frame that breaks the protocol or a limit, is left to the Sans-I/O protocol, which fails
the connection as it should. A compressed frame can't be handed over once inflating
started (the decoder moved on): its errors are raised for the caller to fail the
connection with :meth:`~websockets_impl.protocol.Protocol.parsing_failed`.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable

from ..extensions.permessage_deflate import PerMessageDeflate
from ..typing import BytesLike
from ..utils import apply_mask

__all__ = [
    "BYTES_TYPES",
    "DEFLATED",
    "FIN_BINARY",
    "FIN_TEXT",
    "LARGE_FRAME",
    "LargeFrame",
    "build_header",
    "parse_data_frames",
    "start_large_frame",
]

# Types sent as binary frames (or as text with text=True).
BYTES_TYPES = (bytes, bytearray, memoryview)

# First byte of a final, unfragmented frame without reserved bits.
FIN_TEXT = 0x81
FIN_BINARY = 0x82
# RSV1: the first frame of a message compressed by permessage-deflate.
DEFLATED = 0x40
_DEFLATED_TEXT = FIN_TEXT | DEFLATED
_DEFLATED_BINARY = FIN_BINARY | DEFLATED

_pack_short = struct.Struct("!BB").pack
_pack_medium = struct.Struct("!BBH").pack
_pack_long = struct.Struct("!BBQ").pack
_unpack_medium = struct.Struct("!H").unpack_from
_unpack_long = struct.Struct("!Q").unpack_from


def parse_data_frames(
    data: bytes,
    masked: bool,
    limit: int | None,
    put: Callable[[str | bytes], None],
    deflate: PerMessageDeflate | None = None,
) -> int:
    """Pass the messages of the complete, whole data frames at the start of ``data`` to ``put``.

    Text messages are decoded, which validates them. ``masked`` tells whether frames
    must be masked, i.e. whether they come from a client; ``limit`` is the largest
    payload accepted, compressed or not. With ``deflate``, compressed frames are
    inflated. Parsing stops at the first frame that is incomplete, fragmented, a control
    frame, or invalid in any way.

    Returns:
        The number of bytes consumed.

    Raises:
        ProtocolError, PayloadTooBig, UnicodeDecodeError: a compressed frame doesn't
            inflate, inflates beyond ``limit``, or isn't valid UTF-8; the messages
            before it were passed to ``put``.

    """
    pos = 0
    end = len(data)
    mask_bit = 0x80 if masked else 0
    while end - pos >= 2:
        first = data[pos]
        if (
            first != FIN_BINARY
            and first != FIN_TEXT
            and (deflate is None or (first != _DEFLATED_BINARY and first != _DEFLATED_TEXT))
        ):
            break
        second = data[pos + 1]
        if second & 0x80 != mask_bit:
            break
        length = second & 0x7F
        start = pos + 2
        if length == 126:
            if end - start < 2:
                break
            (length,) = _unpack_medium(data, start)
            start += 2
        elif length == 127:
            if end - start < 8:
                break
            (length,) = _unpack_long(data, start)
            start += 8
        if limit is not None and length > limit:
            break
        if masked:
            stop = start + 4 + length
            if stop > end:
                break
            payload = apply_mask(data[start + 4 : stop], data[start : start + 4])
        else:
            stop = start + length
            if stop > end:
                break
            payload = data[start:stop]
        if first & DEFLATED:
            assert deflate is not None
            payload = deflate.decode_message(payload, limit)
            pos = stop
            put(payload.decode() if first == _DEFLATED_TEXT else payload)
            continue
        if first == FIN_TEXT:
            try:
                put(payload.decode())
            except UnicodeDecodeError:
                break
        else:
            put(payload)
        pos = stop
    return pos


def build_header(first: int, data: BytesLike, masked: bool) -> tuple[bytes, BytesLike]:
    """Return the header of a whole data frame and its payload, masked if ``masked``."""
    length = len(data)
    if masked:
        mask = os.urandom(4)
        data = apply_mask(data, mask)
        if length < 126:
            return _pack_short(first, 0x80 | length) + mask, data
        if length < 65536:
            return _pack_medium(first, 0xFE, length) + mask, data
        return _pack_long(first, 0xFF, length) + mask, data
    if length < 126:
        return _pack_short(first, length), data
    if length < 65536:
        return _pack_medium(first, 126, length), data
    return _pack_long(first, 127, length), data


#: Payload size from which a frame split across reads is collected in chunks and joined
#: once, instead of growing the Sans-I/O parser's buffer read after read.
LARGE_FRAME = 64 * 1024


class LargeFrame:
    """A whole data frame whose payload arrives over several reads.

    Chunks are kept as they come and joined once complete. If the frame turns out not to
    be acceptable (invalid UTF-8), :meth:`raw` gives back its bytes exactly as received, for
    the Sans-I/O protocol to fail the connection as it would have.
    """

    __slots__ = ("chunks", "first", "header", "length", "mask", "size")

    def __init__(self, first: int, header: bytes, mask: bytes | None, length: int) -> None:
        self.first = first
        self.header = header
        self.mask = mask
        self.length = length
        self.chunks: list[bytes] = []
        self.size = 0

    def feed(self, data: bytes) -> int:
        """Take what belongs to this frame from ``data``; return how many bytes it took."""
        take = min(self.length - self.size, len(data))
        self.chunks.append(data if take == len(data) else data[:take])
        self.size += take
        return take

    @property
    def complete(self) -> bool:
        return self.size == self.length

    def message(
        self, deflate: PerMessageDeflate | None = None, limit: int | None = None
    ) -> str | bytes | None:
        """The message, or ``None`` when it is not valid (text that isn't UTF-8).

        A compressed frame is inflated with ``deflate`` up to ``limit`` bytes.

        Raises:
            ProtocolError, PayloadTooBig, UnicodeDecodeError: as :func:`parse_data_frames`
                for a compressed frame.

        """
        payload = b"".join(self.chunks)
        if self.mask is not None:
            payload = apply_mask(payload, self.mask)
        first = self.first
        if first & DEFLATED:
            assert deflate is not None
            payload = deflate.decode_message(payload, limit)
            return payload.decode() if first == _DEFLATED_TEXT else payload
        if first == FIN_BINARY:
            return payload
        try:
            return payload.decode()
        except UnicodeDecodeError:
            return None

    def raw(self) -> bytes:
        return b"".join([self.header, *self.chunks])


def start_large_frame(
    data: bytes, masked: bool, limit: int | None, deflate: PerMessageDeflate | None = None
) -> LargeFrame | None:
    """A :class:`LargeFrame` if ``data`` starts with the header of a large whole data frame
    whose payload it doesn't complete; the header (and mask) must be in ``data``. With
    ``deflate``, the frame may be compressed."""
    if len(data) < 2:
        return None
    first = data[0]
    if (
        first != FIN_BINARY
        and first != FIN_TEXT
        and (deflate is None or (first != _DEFLATED_BINARY and first != _DEFLATED_TEXT))
    ):
        return None
    second = data[1]
    if bool(second & 0x80) != masked:
        return None
    length = second & 0x7F
    start = 2
    if length == 126:
        if len(data) < 4:
            return None
        (length,) = _unpack_medium(data, 2)
        start = 4
    elif length == 127:
        if len(data) < 10:
            return None
        (length,) = _unpack_long(data, 2)
        start = 10
    if length < LARGE_FRAME or (limit is not None and length > limit):
        return None
    mask = None
    if masked:
        if len(data) < start + 4:
            return None
        mask = data[start : start + 4]
        start += 4
    if len(data) - start >= length:
        return None  # complete: parse_data_frames takes it
    frame = LargeFrame(first, data[:start], mask, length)
    frame.feed(data[start:])
    return frame
