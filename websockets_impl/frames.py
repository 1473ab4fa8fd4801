"""WebSocket frames (RFC 6455 section 5) and close frame payloads (section 7)."""

from __future__ import annotations

import codecs
import dataclasses
import enum
import os
import re
import secrets
import struct
from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING

from .exceptions import PayloadTooBig, ProtocolError
from .typing import BytesLike
from .utils import apply_mask, masked_frame

if TYPE_CHECKING:
    from .extensions import Extension

__all__ = [
    "BINARY",
    "CLOSE",
    "CONT",
    "CTRL_OPCODES",
    "DATA_OPCODES",
    "OP_BINARY",
    "OP_CLOSE",
    "OP_CONT",
    "OP_PING",
    "OP_PONG",
    "OP_TEXT",
    "PING",
    "PONG",
    "TEXT",
    "Close",
    "CloseCode",
    "Frame",
    "Opcode",
]


class Opcode(enum.IntEnum):
    """Frame opcodes."""

    CONT, TEXT, BINARY = 0x00, 0x01, 0x02
    CLOSE, PING, PONG = 0x08, 0x09, 0x0A


CONT = OP_CONT = Opcode.CONT
TEXT = OP_TEXT = Opcode.TEXT
BINARY = OP_BINARY = Opcode.BINARY
CLOSE = OP_CLOSE = Opcode.CLOSE
PING = OP_PING = Opcode.PING
PONG = OP_PONG = Opcode.PONG

_pack_short = struct.Struct("!BB").pack
_pack_medium = struct.Struct("!BBH").pack
_pack_long = struct.Struct("!BBQ").pack

# A dict lookup is cheaper than calling the enum, on a hot path.
_OPCODES = {opcode.value: opcode for opcode in Opcode}

DATA_OPCODES = (CONT, TEXT, BINARY)
CTRL_OPCODES = (CLOSE, PING, PONG)


class CloseCode(enum.IntEnum):
    """Close codes registered by RFC 6455 section 7.4 and IANA."""

    NORMAL_CLOSURE = 1000
    GOING_AWAY = 1001
    PROTOCOL_ERROR = 1002
    UNSUPPORTED_DATA = 1003
    # 1004 is reserved.
    NO_STATUS_RCVD = 1005
    ABNORMAL_CLOSURE = 1006
    INVALID_DATA = 1007
    POLICY_VIOLATION = 1008
    MESSAGE_TOO_BIG = 1009
    MANDATORY_EXTENSION = 1010
    INTERNAL_ERROR = 1011
    SERVICE_RESTART = 1012
    TRY_AGAIN_LATER = 1013
    BAD_GATEWAY = 1014
    TLS_HANDSHAKE = 1015


CLOSE_CODE_EXPLANATIONS: dict[int, str] = {
    CloseCode.NORMAL_CLOSURE: "OK",
    CloseCode.GOING_AWAY: "going away",
    CloseCode.PROTOCOL_ERROR: "protocol error",
    CloseCode.UNSUPPORTED_DATA: "unsupported data",
    CloseCode.NO_STATUS_RCVD: "no status received [internal]",
    CloseCode.ABNORMAL_CLOSURE: "abnormal closure [internal]",
    CloseCode.INVALID_DATA: "invalid frame payload data",
    CloseCode.POLICY_VIOLATION: "policy violation",
    CloseCode.MESSAGE_TOO_BIG: "message too big",
    CloseCode.MANDATORY_EXTENSION: "mandatory extension",
    CloseCode.INTERNAL_ERROR: "internal error",
    CloseCode.SERVICE_RESTART: "service restart",
    CloseCode.TRY_AGAIN_LATER: "try again later",
    CloseCode.BAD_GATEWAY: "bad gateway",
    CloseCode.TLS_HANDSHAKE: "TLS handshake failure [internal]",
}

# Codes an endpoint may put in a close frame: 1005, 1006 and 1015 only exist inside
# APIs, 1004 and 1016-2999 are reserved; 3000-4999 belong to libraries and applications.
EXTERNAL_CLOSE_CODES = frozenset(
    code
    for code in CloseCode
    if code not in (CloseCode.NO_STATUS_RCVD, CloseCode.ABNORMAL_CLOSURE, CloseCode.TLS_HANDSHAKE)
)

# Close codes that mean the connection ended cleanly.
OK_CLOSE_CODES = frozenset(
    (CloseCode.NORMAL_CLOSURE, CloseCode.GOING_AWAY, CloseCode.NO_STATUS_RCVD)
)

# Longest payload shown by Frame.__str__, for logs.
MAX_LOG_SIZE = int(os.environ.get("WEBSOCKETS_MAX_LOG_SIZE", "75"))

MAX_CONTROL_PAYLOAD = 125
MAX_PAYLOAD_LENGTH = 2**63 - 1


@dataclasses.dataclass
class Frame:
    """A WebSocket frame. Payloads of text frames are UTF-8 bytes, not str."""

    opcode: Opcode
    data: BytesLike
    fin: bool = True
    rsv1: bool = False
    rsv2: bool = False
    rsv3: bool = False

    def __str__(self) -> str:
        """Compact form for logs, e.g. ``TEXT 'hi' [2 bytes]``.

        The type word (``text`` or ``binary``) appears when the payload's type differs
        from what the opcode implies; CONT, PING and PONG imply none.
        """
        size = len(self.data)
        metadata = [f"{size} byte{'' if size == 1 else 's'}"]
        if not self.fin:
            metadata.append("continued")
        if size == 0:
            data = "''"
        else:
            data, kind = self._describe_data()
            if kind != _IMPLIED_KIND.get(self.opcode):
                metadata.insert(0, kind)
        if len(data) > MAX_LOG_SIZE:
            cut = MAX_LOG_SIZE // 3 - 1
            data = f"{data[: 2 * cut]}...{data[-cut:]}"
        return f"{self.opcode.name} {data} [{', '.join(metadata)}]"

    def _describe_data(self) -> tuple[str, str]:
        """The payload for logs and whether it reads as ``"text"`` or ``"binary"``."""
        data = bytes(self.data)
        if self.opcode is OP_CLOSE:
            try:
                return str(Close.parse(data)), _TEXT
            except (ProtocolError, UnicodeDecodeError):
                return _hex(data), _BINARY
        if self.opcode is OP_PING or self.opcode is OP_PONG:
            if _PRINTABLE_ASCII.fullmatch(data):
                return repr(data.decode("ascii")), _TEXT
            return _hex(data), _BINARY
        start_clean = self.opcode is not OP_CONT
        cut = 4 * MAX_LOG_SIZE // 3
        if len(data) > 4 * MAX_LOG_SIZE:
            # Only the ends of a long payload make it into the log: examine only them.
            head, tail = data[: 2 * cut], data[-cut:]
            is_text = is_utf8_fragment(head, must_start_clean=start_clean) and is_utf8_fragment(
                tail, must_end_clean=self.fin
            )
            data = head + tail
        else:
            is_text = is_utf8_fragment(data, must_start_clean=start_clean, must_end_clean=self.fin)
        if is_text:
            return repr(data.decode(errors="replace")), _TEXT
        return _hex(data), _BINARY

    @classmethod
    def parse(
        cls,
        read_exact: Callable[[int], Generator[None, None, bytes]],
        *,
        mask: bool,
        max_size: int | None = None,
        extensions: Sequence[Extension] | None = None,
    ) -> Generator[None, None, Frame]:
        """Read a frame with ``read_exact``; yield while data is missing.

        ``mask`` tells whether the frame must be masked, i.e. whether it comes from a
        client. ``max_size`` limits the payload, checked on the header's length before
        reading the payload and passed to extensions for decoding.

        Raises:
            EOFError: The stream ends before the frame is complete.
            ProtocolError: The frame breaks the protocol.
            PayloadTooBig: The payload exceeds ``max_size``.
            UnicodeDecodeError: Text frames aren't validated here, but close frames are.
        """
        head = yield from read_exact(2)
        first, second = head[0], head[1]
        try:
            opcode = _OPCODES[first & 0x0F]
        except KeyError:
            raise ProtocolError("invalid opcode") from None
        if bool(second & 0x80) != mask:
            raise ProtocolError("incorrect masking")

        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", (yield from read_exact(2)))
        elif length == 127:
            (length,) = struct.unpack("!Q", (yield from read_exact(8)))
            if length > MAX_PAYLOAD_LENGTH:
                raise ProtocolError("most significant bit of payload length must be 0")
        if max_size is not None and length > max_size:
            raise PayloadTooBig(length, max_size)

        if mask:
            # The masking key and the payload in one read: one generator step fewer.
            data = yield from read_exact(4 + length)
            with memoryview(data) as view, view[4:] as payload:
                data = apply_mask(payload, data[:4])
        else:
            data = yield from read_exact(length)

        frame = cls(
            opcode,
            data,
            fin=bool(first & 0x80),
            rsv1=bool(first & 0x40),
            rsv2=bool(first & 0x20),
            rsv3=bool(first & 0x10),
        )
        if extensions:
            # Extensions encoded in order on the way out, so they decode in reverse order.
            for extension in reversed(extensions):
                frame = extension.decode(frame, max_size=max_size)
        frame.check()
        return frame

    def serialize(self, *, mask: bool, extensions: Sequence[Extension] | None = None) -> bytes:
        """Encode the frame; ``mask`` is true for frames sent by a client.

        Raises:
            ProtocolError: The frame is invalid.
        """
        self.check()
        frame = self
        if extensions:
            for extension in extensions:
                frame = extension.encode(frame)

        first = (
            (0x80 if frame.fin else 0)
            | (0x40 if frame.rsv1 else 0)
            | (0x20 if frame.rsv2 else 0)
            | (0x10 if frame.rsv3 else 0)
            | frame.opcode
        )
        data = frame.data
        length = len(data)
        if length < 126:
            header = _pack_short(first, (0x80 if mask else 0) | length)
        elif length < 65536:
            header = _pack_medium(first, 0xFE if mask else 126, length)
        else:
            header = _pack_long(first, 0xFF if mask else 127, length)
        if mask:
            masking_key = secrets.token_bytes(4)
            return masked_frame(header, masking_key, data)
        # Concatenation copies the payload once, as BytesIO did, for any bytes-like data.
        return header + data

    def check(self) -> None:
        """Check reserved bits and the constraints on control frames.

        Raises:
            ProtocolError: The frame is invalid.
        """
        # Extensions that use reserved bits clear them while decoding.
        if self.rsv1 or self.rsv2 or self.rsv3:
            raise ProtocolError("reserved bits must be 0")
        if self.opcode in CTRL_OPCODES:
            if len(self.data) > MAX_CONTROL_PAYLOAD:
                raise ProtocolError("control frame too long")
            if not self.fin:
                raise ProtocolError("fragmented control frame")


@dataclasses.dataclass
class Close:
    """Payload of a close frame: a close code and a reason."""

    code: int
    reason: str

    def __str__(self) -> str:
        if 3000 <= self.code < 4000:
            explanation = "registered"
        elif 4000 <= self.code < 5000:
            explanation = "private use"
        else:
            explanation = CLOSE_CODE_EXPLANATIONS.get(self.code, "unknown")
        result = f"{self.code} ({explanation})"
        if self.reason:
            result = f"{result} {self.reason}"
        return result

    @classmethod
    def parse(cls, data: BytesLike) -> Close:
        """Decode a close frame payload; an empty one means 1005 (no status received).

        Raises:
            ProtocolError: The payload is one byte long or the code isn't allowed.
            UnicodeDecodeError: The reason isn't valid UTF-8.
        """
        if len(data) >= 2:
            (code,) = struct.unpack("!H", data[:2])
            close = cls(code, bytes(data[2:]).decode())
            close.check()
            return close
        if len(data) == 0:
            return cls(CloseCode.NO_STATUS_RCVD, "")
        raise ProtocolError("close frame too short")

    def serialize(self) -> bytes:
        """Encode as a close frame payload.

        Raises:
            ProtocolError: The code can't be sent on the wire.
        """
        self.check()
        return struct.pack("!H", self.code) + self.reason.encode()

    def check(self) -> None:
        """Raise :exc:`ProtocolError` if the code can't appear in a close frame."""
        if not (self.code in EXTERNAL_CLOSE_CODES or 3000 <= self.code < 5000):
            raise ProtocolError("invalid status code")


def is_utf8_fragment(
    data: BytesLike, must_start_clean: bool = False, must_end_clean: bool = False
) -> bool:
    """Guess whether ``data`` is a slice cut out of UTF-8 text, for logs.

    Unless ``must_start_clean``, up to three leading continuation bytes are ignored;
    unless ``must_end_clean``, an incomplete character at the end is. The rest must
    decode as UTF-8 into characters that ``repr`` shows as such, not as ``\\x..``
    escapes: control characters other than tab, newline and carriage return make the
    payload binary.
    """
    data = bytes(data)
    if not must_start_clean:
        start = 0
        while start < 3 and start < len(data) and 0x80 <= data[start] < 0xC0:
            start += 1
        data = data[start:]
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(data, must_end_clean)
    except UnicodeDecodeError:
        return False
    # Without must_end_clean, the decoder keeps an incomplete final character buffered.
    return _ESCAPED_BY_REPR.search(text) is None


# Characters that repr() shows as \x.. escapes: the non-printable ones below U+0100,
# except tab, newline and carriage return, which have their own escapes.
_ESCAPED_BY_REPR = re.compile(
    "["
    + "".join(
        re.escape(chr(code))
        for code in range(256)
        if not chr(code).isprintable() and chr(code) not in "\t\n\r"
    )
    + "]"
)

# Ping and pong payloads read as text when they're printable ASCII or whitespace.
_PRINTABLE_ASCII = re.compile(rb"[\x09-\x0d\x20-\x7e]*")

_TEXT, _BINARY = "text", "binary"
# The payload type each opcode implies; CONT, PING and PONG imply none.
_IMPLIED_KIND = {OP_TEXT: _TEXT, OP_CLOSE: _TEXT, OP_BINARY: _BINARY}


def _hex(data: bytes) -> str:
    """Space-separated hex; a long payload keeps its ends around an ellipsis."""
    if len(data) > MAX_LOG_SIZE // 3:
        cut = (MAX_LOG_SIZE // 3 - 1) // 3
        # The two filler bytes make the result long enough for __str__ to cut its middle.
        data = data[: 2 * cut] + b"\x00\x00" + data[-cut:]
    return data.hex(" ")
