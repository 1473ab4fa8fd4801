"""Frames and close payloads, from RFC 6455 sections 5 and 7."""

from __future__ import annotations

import os
import struct

import pytest
from core_helpers import reader_with, run
from hypothesis import given, settings
from hypothesis import strategies as st

from websockets_impl.exceptions import PayloadTooBig, ProtocolError
from websockets_impl.frames import (
    BINARY,
    CLOSE,
    CONT,
    CTRL_OPCODES,
    DATA_OPCODES,
    MAX_LOG_SIZE,
    OP_TEXT,
    PING,
    PONG,
    TEXT,
    Close,
    CloseCode,
    Frame,
    Opcode,
    is_utf8_fragment,
)
from websockets_impl.utils import apply_mask


def parse(data: bytes, *, mask: bool, max_size: int | None = None) -> Frame:
    reader = reader_with(data)
    return run(Frame.parse(reader.read_exact, mask=mask, max_size=max_size))


class TestOpcodes:
    def test_values_from_rfc(self) -> None:
        assert [int(op) for op in (CONT, TEXT, BINARY, CLOSE, PING, PONG)] == [0, 1, 2, 8, 9, 10]
        assert OP_TEXT is Opcode.TEXT
        assert set(DATA_OPCODES) | set(CTRL_OPCODES) == set(Opcode)

    def test_close_codes(self) -> None:
        assert CloseCode.NORMAL_CLOSURE == 1000
        assert CloseCode.MESSAGE_TOO_BIG == 1009
        assert CloseCode.TLS_HANDSHAKE == 1015


class TestSerialize:
    def test_unmasked_text_example_from_rfc(self) -> None:
        # RFC 6455 5.7: a single-frame unmasked text message.
        assert Frame(TEXT, b"Hello").serialize(mask=False) == b"\x81\x05Hello"

    def test_masked_text_example_from_rfc(self) -> None:
        # RFC 6455 5.7: the same message masked with 37 fa 21 3d.
        frame = parse(b"\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58", mask=True)
        assert frame == Frame(TEXT, b"Hello")

    def test_fragmented_example_from_rfc(self) -> None:
        assert parse(b"\x01\x03Hel", mask=False) == Frame(TEXT, b"Hel", fin=False)
        assert parse(b"\x80\x02lo", mask=False) == Frame(CONT, b"lo")

    @pytest.mark.parametrize(
        ("length", "header"),
        [
            (125, b"\x82\x7d"),
            (126, b"\x82\x7e\x00\x7e"),
            (65535, b"\x82\x7e\xff\xff"),
            (65536, b"\x82\x7f\x00\x00\x00\x00\x00\x01\x00\x00"),
        ],
    )
    def test_length_encoding(self, length: int, header: bytes) -> None:
        data = Frame(BINARY, b"\x00" * length).serialize(mask=False)
        assert data[: len(header)] == header
        assert len(data) == len(header) + length

    def test_masked_frames_use_a_fresh_key(self) -> None:
        frame = Frame(BINARY, b"\x00" * 64)
        first, second = frame.serialize(mask=True), frame.serialize(mask=True)
        # The masking key is the payload XOR zeros, i.e. visible in the payload.
        assert first[2:6] != second[2:6]
        assert first[6:10] == first[2:6]

    def test_memoryview_and_bytearray_payloads(self) -> None:
        for data in (bytearray(b"abc"), memoryview(b"abc")):
            assert Frame(BINARY, data).serialize(mask=False) == b"\x82\x03abc"

    def test_serialize_checks_the_frame(self) -> None:
        with pytest.raises(ProtocolError):
            Frame(PING, b"x" * 126).serialize(mask=False)


class TestParse:
    def test_waits_for_more_data(self) -> None:
        reader = reader_with(b"\x81\x05Hel")
        parser = Frame.parse(reader.read_exact, mask=False)
        next(parser)
        reader.feed_data(b"lo")
        with pytest.raises(StopIteration) as info:
            next(parser)
        assert info.value.value == Frame(TEXT, b"Hello")

    def test_eof_in_the_middle(self) -> None:
        reader = reader_with(b"\x81\x05Hel", eof=True)
        with pytest.raises(EOFError):
            run(Frame.parse(reader.read_exact, mask=False))

    def test_invalid_opcode(self) -> None:
        for opcode in (3, 7, 11, 15):
            with pytest.raises(ProtocolError, match="invalid opcode"):
                parse(bytes([0x80 | opcode, 0]), mask=False)

    def test_masking_must_match_the_side(self) -> None:
        with pytest.raises(ProtocolError, match="incorrect masking"):
            parse(b"\x81\x00", mask=True)
        with pytest.raises(ProtocolError, match="incorrect masking"):
            parse(b"\x81\x80\x00\x00\x00\x00", mask=False)

    def test_reserved_bits_without_extension(self) -> None:
        for bit in (0x40, 0x20, 0x10):
            with pytest.raises(ProtocolError, match="reserved bits"):
                parse(bytes([0x81 | bit, 0]), mask=False)

    def test_control_frames_constraints(self) -> None:
        with pytest.raises(ProtocolError, match="fragmented control frame"):
            parse(b"\x09\x00", mask=False)
        with pytest.raises(ProtocolError, match="control frame too long"):
            parse(b"\x89\x7e\x00\x7e" + b"x" * 126, mask=False)

    def test_64_bit_length_with_msb_set(self) -> None:
        with pytest.raises(ProtocolError, match="most significant bit"):
            parse(b"\x82\x7f\x80" + b"\x00" * 7, mask=False)

    def test_max_size_is_checked_before_reading_the_payload(self) -> None:
        # The header announces 1 GiB; only the header is available.
        reader = reader_with(b"\x82\x7f" + struct.pack("!Q", 2**30))
        with pytest.raises(PayloadTooBig) as info:
            run(Frame.parse(reader.read_exact, mask=False, max_size=2**20))
        assert info.value.size == 2**30
        assert info.value.max_size == 2**20

    def test_max_size_boundary(self) -> None:
        data = Frame(BINARY, b"x" * 100).serialize(mask=False)
        assert parse(data, mask=False, max_size=100).data == b"x" * 100
        with pytest.raises(PayloadTooBig):
            parse(data, mask=False, max_size=99)


class TestStr:
    @pytest.mark.parametrize(
        ("frame", "expected"),
        [
            (Frame(TEXT, b"hello"), "TEXT 'hello' [5 bytes]"),
            (Frame(TEXT, b"a", fin=False), "TEXT 'a' [1 byte, continued]"),
            (Frame(TEXT, b"\xff"), "TEXT ff [binary, 1 byte]"),
            (Frame(TEXT, b"\x00"), "TEXT 00 [binary, 1 byte]"),
            (Frame(BINARY, b"\x01\xff"), "BINARY 01 ff [2 bytes]"),
            (Frame(BINARY, b"hi"), "BINARY 'hi' [text, 2 bytes]"),
            (Frame(BINARY, b""), "BINARY '' [0 bytes]"),
            (Frame(TEXT, b""), "TEXT '' [0 bytes]"),
            (Frame(CONT, b"\xff", fin=True), "CONT ff [binary, 1 byte]"),
            (
                Frame(CONT, b"\xfc\xfd\xfe\xff", fin=False),
                "CONT fc fd fe ff [binary, 4 bytes, continued]",
            ),
            (Frame(CONT, " crème".encode()), "CONT ' crème' [text, 7 bytes]"),
            # A continuation frame may start and end in the middle of a character.
            (
                Frame(CONT, b"\xa9caf\xc3", fin=False),
                "CONT '\ufffdcaf\ufffd' [text, 5 bytes, continued]",
            ),
            (Frame(CLOSE, b"\x03\xe8bye"), "CLOSE 1000 (OK) bye [5 bytes]"),
            (Frame(CLOSE, b"\x00\x01\x02\x03"), "CLOSE 00 01 02 03 [binary, 4 bytes]"),
            (Frame(CLOSE, b""), "CLOSE '' [0 bytes]"),
            (Frame(PING, b"ping"), "PING 'ping' [text, 4 bytes]"),
            (Frame(PING, b"a\tb\r\n"), "PING 'a\\tb\\r\\n' [text, 5 bytes]"),
            (Frame(PONG, b"\xfe"), "PONG fe [binary, 1 byte]"),
            (Frame(PONG, "é".encode()), "PONG c3 a9 [binary, 2 bytes]"),
        ],
    )
    def test_compact_log_form(self, frame: Frame, expected: str) -> None:
        assert str(frame) == expected

    def test_text_frame_must_start_clean_but_continuation_need_not(self) -> None:
        assert str(Frame(TEXT, b"\xa9ab")) == "TEXT a9 61 62 [binary, 3 bytes]"
        assert str(Frame(CONT, b"\xa9ab")) == "CONT '\ufffdab' [text, 3 bytes]"

    def test_final_frame_must_end_clean(self) -> None:
        assert str(Frame(TEXT, b"ab\xc3")) == "TEXT 61 62 c3 [binary, 3 bytes]"
        assert str(Frame(TEXT, b"ab\xc3", fin=False)) == "TEXT 'ab\ufffd' [3 bytes, continued]"

    def test_long_binary_keeps_sixteen_leading_and_eight_trailing_bytes(self) -> None:
        frame = Frame(BINARY, bytes(range(256)) * 2)
        head = " ".join(f"{byte:02x}" for byte in range(16))
        tail = " ".join(f"{byte:02x}" for byte in range(248, 256))
        assert str(frame) == f"BINARY {head} ... {tail} [512 bytes]"

    def test_long_text_keeps_48_leading_and_24_trailing_characters(self) -> None:
        data = "".join(chr(ord("a") + i % 26) for i in range(300))
        text = str(Frame(TEXT, data.encode()))
        representation = repr(data)
        assert text == f"TEXT {representation[:48]}...{representation[-24:]} [300 bytes]"

    def test_very_long_text_is_examined_by_its_ends_only(self) -> None:
        # A NUL byte in the middle of a long payload doesn't make it binary.
        data = b"x" * 1000 + b"\x00" + b"y" * 1000
        assert str(Frame(TEXT, data)) == f"TEXT '{'x' * 47}...{'y' * 23}' [2001 bytes]"

    @pytest.mark.parametrize("opcode", [TEXT, BINARY])
    def test_long_payloads_are_shortened(self, opcode: Opcode) -> None:
        data = b"x" * 5000 + os.urandom(5000) if opcode is BINARY else b"x" * 10_000
        text = str(Frame(opcode, data))
        assert text.endswith(" [10000 bytes]")
        description = text[len(opcode.name) + 1 : -len(" [10000 bytes]")]
        assert "..." in description
        assert len(description) <= MAX_LOG_SIZE


class TestIsUtf8Fragment:
    def test_example(self) -> None:
        data = "αあ".encode()
        assert is_utf8_fragment(data[:-1], must_start_clean=True)
        assert not is_utf8_fragment(data[1:-1], must_start_clean=True)
        assert is_utf8_fragment(data[1:-1])

    def test_empty(self) -> None:
        assert is_utf8_fragment(b"", must_start_clean=True, must_end_clean=True)

    def test_up_to_three_leading_continuation_bytes_are_ignored(self) -> None:
        assert is_utf8_fragment(b"\x80\x80\x80a")
        assert not is_utf8_fragment(b"\x80\x80\x80\x80a")

    def test_incomplete_final_character(self) -> None:
        data = "a€".encode()
        assert is_utf8_fragment(data[:-1])
        assert not is_utf8_fragment(data[:-1], must_end_clean=True)
        assert is_utf8_fragment(data, must_end_clean=True)

    @pytest.mark.parametrize(
        "data", [b"\xff", b"\xc1\x81", b"a\xe3\x41", b"\x00", b"\x1b[0m", b"\xc2\x85"]
    )
    def test_not_text(self, data: bytes) -> None:
        assert not is_utf8_fragment(data)

    @pytest.mark.parametrize("data", [b"tab\tnl\ncr\r", "crème brûlée".encode(), "☃".encode()])
    def test_text(self, data: bytes) -> None:
        assert is_utf8_fragment(data, must_start_clean=True, must_end_clean=True)

    def test_accepts_bytes_like(self) -> None:
        assert is_utf8_fragment(memoryview(b"abc"))
        assert is_utf8_fragment(bytearray(b"abc"))


class TestClose:
    def test_round_trip(self) -> None:
        close = Close(CloseCode.GOING_AWAY, "bye ☺")
        assert Close.parse(close.serialize()) == close

    def test_empty_payload_means_no_status(self) -> None:
        assert Close.parse(b"") == Close(CloseCode.NO_STATUS_RCVD, "")

    def test_one_byte_payload(self) -> None:
        with pytest.raises(ProtocolError, match="too short"):
            Close.parse(b"\x03")

    def test_invalid_utf8_reason(self) -> None:
        with pytest.raises(UnicodeDecodeError):
            Close.parse(b"\x03\xe8\xff")

    @pytest.mark.parametrize(
        "code",
        [0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535],
    )
    def test_codes_that_cant_be_on_the_wire(self, code: int) -> None:
        with pytest.raises(ProtocolError, match="invalid status code"):
            Close(code, "").serialize()
        with pytest.raises(ProtocolError, match="invalid status code"):
            Close.parse(struct.pack("!H", code))

    @pytest.mark.parametrize("code", [1000, 1001, 1002, 1003, 1007, 1011, 1014, 3000, 4999])
    def test_codes_allowed_on_the_wire(self, code: int) -> None:
        assert Close.parse(struct.pack("!H", code)).code == code

    def test_str(self) -> None:
        assert str(Close(1000, "")) == "1000 (OK)"
        assert str(Close(1001, "later")) == "1001 (going away) later"
        assert str(Close(3001, "")) == "3001 (registered)"
        assert str(Close(4001, "")) == "4001 (private use)"
        assert str(Close(2500, "")) == "2500 (unknown)"


# Property tests: every opcode, size class, masking and reserved bit combination.

SIZES = st.one_of(st.integers(0, 125), st.integers(126, 65535), st.integers(65536, 70000))


@st.composite
def frames(draw: st.DrawFn) -> Frame:
    opcode = draw(st.sampled_from(list(Opcode)))
    if opcode in CTRL_OPCODES:
        size, fin = draw(st.integers(0, 125)), True
    else:
        size, fin = draw(SIZES), draw(st.booleans())
    data = draw(st.binary(min_size=size, max_size=size)) if size < 256 else os.urandom(size)
    return Frame(opcode, data, fin=fin)


class TestProperties:
    @settings(max_examples=200, deadline=None)
    @given(frame=frames(), mask=st.booleans())
    def test_round_trip(self, frame: Frame, mask: bool) -> None:
        assert parse(frame.serialize(mask=mask), mask=mask) == frame

    @settings(max_examples=200, deadline=None)
    @given(frame=frames(), mask=st.booleans(), rsv=st.integers(0, 7))
    def test_reserved_bits_are_rejected(self, frame: Frame, mask: bool, rsv: int) -> None:
        data = bytearray(frame.serialize(mask=mask))
        data[0] |= rsv << 4
        if rsv:
            with pytest.raises(ProtocolError):
                parse(bytes(data), mask=mask)
        else:
            assert parse(bytes(data), mask=mask) == frame

    @settings(max_examples=200, deadline=None)
    @given(data=st.binary(max_size=300), mask=st.binary(min_size=4, max_size=4))
    def test_masking_is_an_involution(self, data: bytes, mask: bytes) -> None:
        assert apply_mask(apply_mask(data, mask), mask) == data


class TestFuzz:
    """Arbitrary bytes only raise the documented exceptions."""

    EXPECTED = (EOFError, ProtocolError, PayloadTooBig, UnicodeDecodeError)

    def parse_or_raise(self, data: bytes, mask: bool) -> None:
        reader = reader_with(data, eof=True)
        parser = Frame.parse(reader.read_exact, mask=mask, max_size=2**16)
        try:
            run(parser)
        except self.EXPECTED:
            pass

    @settings(max_examples=300, deadline=None)
    @given(data=st.binary(max_size=200), mask=st.booleans())
    def test_random_bytes(self, data: bytes, mask: bool) -> None:
        self.parse_or_raise(data, mask)

    @settings(max_examples=300, deadline=None)
    @given(
        frame=frames(),
        mask=st.booleans(),
        flips=st.lists(st.tuples(st.integers(0, 20), st.integers(1, 255)), max_size=4),
        cut=st.integers(0, 30),
    )
    def test_mutated_frames(
        self, frame: Frame, mask: bool, flips: list[tuple[int, int]], cut: int
    ) -> None:
        data = bytearray(frame.serialize(mask=mask))
        for position, bits in flips:
            if position < len(data):
                data[position] ^= bits
        self.parse_or_raise(bytes(data[: len(data) - cut]), mask)
