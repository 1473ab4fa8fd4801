"""The generator-based stream reader."""

from __future__ import annotations

import pytest
from core_helpers import run

from websockets_impl.exceptions import SecurityError
from websockets_impl.streams import StreamReader


@pytest.fixture
def reader() -> StreamReader:
    return StreamReader()


class TestReadLine:
    def test_complete_line(self, reader: StreamReader) -> None:
        reader.feed_data(b"spam\r\neggs\n")
        assert run(reader.read_line(32)) == b"spam\r\n"
        assert run(reader.read_line(32)) == b"eggs\n"

    def test_waits_for_the_end_of_line(self, reader: StreamReader) -> None:
        parser = reader.read_line(32)
        reader.feed_data(b"sp")
        next(parser)
        reader.feed_data(b"am\nrest")
        with pytest.raises(StopIteration) as info:
            next(parser)
        assert info.value.value == b"spam\n"
        assert bytes(reader.buffer) == b"rest"

    def test_too_long(self, reader: StreamReader) -> None:
        reader.feed_data(b"0123456789\n")
        with pytest.raises(RuntimeError) as raised:
            run(reader.read_line(8))
        assert str(raised.value) == "read 11 bytes, expected no more than 8 bytes"

    def test_too_long_with_custom_exception(self, reader: StreamReader) -> None:
        reader.feed_data(b"0123456789\n")
        with pytest.raises(SecurityError) as raised:
            run(reader.read_line(8, too_long_exc_type=SecurityError))
        assert str(raised.value) == "read 11 bytes, expected no more than 8 bytes"

    def test_too_long_without_end_of_line(self, reader: StreamReader) -> None:
        parser = reader.read_line(8, too_long_exc_type=SecurityError)
        reader.feed_data(b"0123456789")
        with pytest.raises(SecurityError) as raised:
            next(parser)
        assert str(raised.value) == "read 10 bytes, expected no more than 8 bytes"

    def test_limit_includes_terminator(self, reader: StreamReader) -> None:
        reader.feed_data(b"1234567\n")
        assert run(reader.read_line(8)) == b"1234567\n"

    def test_eof(self, reader: StreamReader) -> None:
        reader.feed_data(b"spam")
        reader.feed_eof()
        with pytest.raises(EOFError):
            run(reader.read_line(32))


class TestReadExact:
    def test_exact(self, reader: StreamReader) -> None:
        reader.feed_data(b"spameggs")
        assert run(reader.read_exact(4)) == b"spam"
        assert run(reader.read_exact(0)) == b""
        assert run(reader.read_exact(4)) == b"eggs"

    def test_waits(self, reader: StreamReader) -> None:
        parser = reader.read_exact(4)
        next(parser)
        reader.feed_data(b"spa")
        next(parser)
        reader.feed_data(b"m")
        with pytest.raises(StopIteration) as info:
            next(parser)
        assert info.value.value == b"spam"

    def test_eof(self, reader: StreamReader) -> None:
        reader.feed_data(b"spa")
        reader.feed_eof()
        with pytest.raises(EOFError):
            run(reader.read_exact(4))


class TestReadToEOF:
    def test_reads_everything(self, reader: StreamReader) -> None:
        parser = reader.read_to_eof(32)
        reader.feed_data(b"spam")
        next(parser)
        reader.feed_data(b"eggs")
        reader.feed_eof()
        with pytest.raises(StopIteration) as info:
            next(parser)
        assert info.value.value == b"spameggs"

    def test_too_long(self, reader: StreamReader) -> None:
        parser = reader.read_to_eof(4)
        reader.feed_data(b"spameggs")
        with pytest.raises(RuntimeError) as raised:
            next(parser)
        assert str(raised.value) == "read 8 bytes, expected no more than 4 bytes"

    def test_too_long_at_eof(self, reader: StreamReader) -> None:
        reader.feed_data(b"spameggs")
        reader.feed_eof()
        with pytest.raises(SecurityError) as raised:
            run(reader.read_to_eof(4, too_long_exc_type=SecurityError))
        assert str(raised.value) == "read 8 bytes, expected no more than 4 bytes"

    def test_exactly_the_limit(self, reader: StreamReader) -> None:
        reader.feed_data(b"spam")
        reader.feed_eof()
        assert run(reader.read_to_eof(4)) == b"spam"


class TestState:
    def test_at_eof(self, reader: StreamReader) -> None:
        parser = reader.at_eof()
        next(parser)
        reader.feed_data(b"x")
        with pytest.raises(StopIteration) as info:
            next(parser)
        assert info.value.value is False
        reader.discard()
        reader.feed_eof()
        assert run(reader.at_eof()) is True

    def test_feeding_after_eof(self, reader: StreamReader) -> None:
        reader.feed_eof()
        with pytest.raises(EOFError):
            reader.feed_data(b"x")
        with pytest.raises(EOFError):
            reader.feed_eof()

    def test_discard(self, reader: StreamReader) -> None:
        reader.feed_data(b"spam")
        reader.discard()
        assert reader.buffer == b""
