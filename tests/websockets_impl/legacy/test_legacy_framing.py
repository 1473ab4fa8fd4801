from __future__ import annotations

import asyncio
import warnings

import pytest

from websockets_impl.exceptions import PayloadTooBig, ProtocolError
from websockets_impl.frames import Opcode

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from websockets_impl.legacy.framing import (
        Frame,
        parse_close,
        prepare_ctrl,
        prepare_data,
        serialize_close,
    )


def stream(data: bytes) -> asyncio.StreamReader:
    reader = asyncio.StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    return reader


async def read(data: bytes, **kwargs: object) -> Frame:
    return await Frame.read(stream(data).readexactly, **kwargs)  # type: ignore[arg-type]


def written(frame: Frame, *, mask: bool) -> bytes:
    chunks: list[bytes] = []
    frame.write(chunks.append, mask=mask)
    return b"".join(chunks)


async def test_read_unmasked_text_frame() -> None:
    frame = await read(b"\x81\x04Spam", mask=False)
    assert frame == Frame(True, Opcode.TEXT, b"Spam")
    assert frame.fin is True
    assert frame.opcode is Opcode.TEXT


async def test_read_masked_frame_unmasks() -> None:
    frame = await read(b"\x82\x84\x01\x02\x03\x04" + bytes([1 ^ 0x41, 2 ^ 0x42, 3, 4]), mask=True)
    assert frame.data == b"AB\x00\x00"


@pytest.mark.parametrize(
    ("header", "length"),
    [(b"\x82\x7e\x00\x7e", 126), (b"\x82\x7f" + (65536).to_bytes(8, "big"), 65536)],
)
async def test_read_extended_lengths(header: bytes, length: int) -> None:
    frame = await read(header + b"x" * length, mask=False)
    assert len(frame.data) == length


async def test_read_rejects_wrong_masking() -> None:
    with pytest.raises(ProtocolError, match="incorrect masking"):
        await read(b"\x81\x00", mask=True)


async def test_read_rejects_invalid_opcode() -> None:
    with pytest.raises(ProtocolError, match="invalid opcode"):
        await read(b"\x83\x00", mask=False)


async def test_read_rejects_reserved_bits() -> None:
    with pytest.raises(ProtocolError, match="reserved bits"):
        await read(b"\xc1\x00", mask=False)


async def test_read_rejects_fragmented_control_frame() -> None:
    with pytest.raises(ProtocolError, match="fragmented control frame"):
        await read(b"\x09\x00", mask=False)


async def test_read_enforces_max_size_before_reading_payload() -> None:
    with pytest.raises(PayloadTooBig):
        # The payload isn't there: the header alone must trigger the error.
        await read(b"\x82\x7e\x10\x00", mask=False, max_size=1024)


async def test_max_size_doesnt_apply_to_control_frames() -> None:
    frame = await read(b"\x89\x05hello", mask=False, max_size=1)
    assert frame.opcode is Opcode.PING


async def test_read_truncated_frame_raises_eof() -> None:
    with pytest.raises(asyncio.IncompleteReadError):
        await read(b"\x81\x05ab", mask=False)


@pytest.mark.parametrize("mask", [False, True])
async def test_write_then_read_round_trip(mask: bool) -> None:
    frame = Frame(False, Opcode.BINARY, b"\x00\xff" * 100)
    assert await read(written(frame, mask=mask), mask=mask) == frame


def test_write_unmasked_bytes() -> None:
    assert written(Frame(True, Opcode.TEXT, b"Spam"), mask=False) == b"\x81\x04Spam"


def test_write_checks_frame() -> None:
    with pytest.raises(ProtocolError, match="control frame too long"):
        written(Frame(True, Opcode.PING, b"x" * 126), mask=False)


def test_new_frame_and_str() -> None:
    frame = Frame(True, Opcode.TEXT, b"hi")
    assert frame.new_frame.opcode is Opcode.TEXT
    assert frame.new_frame.data == b"hi"
    assert str(frame) == str(frame.new_frame)


def test_prepare_data() -> None:
    assert prepare_data("café") == (Opcode.TEXT, "café".encode())
    assert prepare_data(b"\x00") == (Opcode.BINARY, b"\x00")
    assert prepare_data(bytearray(b"a")) == (Opcode.BINARY, bytearray(b"a"))
    with pytest.raises(TypeError):
        prepare_data(42)  # type: ignore[arg-type]


def test_prepare_ctrl() -> None:
    assert prepare_ctrl("ping") == b"ping"
    assert prepare_ctrl(memoryview(b"pong")) == b"pong"
    with pytest.raises(TypeError):
        prepare_ctrl(None)  # type: ignore[arg-type]


def test_close_payloads() -> None:
    assert serialize_close(1000, "bye") == b"\x03\xe8bye"
    assert parse_close(b"\x03\xe8bye") == (1000, "bye")
    assert parse_close(b"") == (1005, "")
    with pytest.raises(ProtocolError):
        parse_close(b"\x03")
    with pytest.raises(ProtocolError):
        serialize_close(1005, "")
    with pytest.raises(UnicodeDecodeError):
        parse_close(b"\x03\xe8\xff")
