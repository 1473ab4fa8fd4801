"""A byte buffer read by generators, the input side of the Sans-I/O parsers.

Reading methods are generators: they yield ``None`` while they wait for more data and
return the result. The protocol resumes them after each :meth:`StreamReader.feed_data`
or :meth:`StreamReader.feed_eof`.
"""

from __future__ import annotations

from collections.abc import Generator

__all__ = ["StreamReader"]

# Size from which copying out of the buffer through a memoryview is faster.
_COPY_THROUGH_VIEW = 16 * 1024


class StreamReader:
    def __init__(self) -> None:
        self.buffer = bytearray()
        self.eof = False

    def read_line(
        self, m: int, too_long_exc_type: type[Exception] = RuntimeError
    ) -> Generator[None, None, bytes]:
        """Read a line ending with ``\\n``, returned with its terminator.

        Raises:
            EOFError: The stream ends before a complete line.
            too_long_exc_type: The line, terminator included, exceeds ``m`` bytes.
        """
        start = 0
        while (end := self.buffer.find(b"\n", start)) == -1:
            start = len(self.buffer)
            if start > m:
                raise too_long_exc_type(f"read {start} bytes, expected no more than {m} bytes")
            if self.eof:
                raise EOFError(f"stream ends after {start} bytes, before end of line")
            yield
        n = end + 1
        if n > m:
            raise too_long_exc_type(f"read {n} bytes, expected no more than {m} bytes")
        return self._take(n)

    def read_exact(self, n: int) -> Generator[None, None, bytes]:
        """Read exactly ``n`` bytes.

        Raises:
            EOFError: The stream ends before ``n`` bytes.
        """
        assert n >= 0
        while len(self.buffer) < n:
            if self.eof:
                raise EOFError(f"stream ends after {len(self.buffer)} bytes, expected {n} bytes")
            yield
        return self._take(n)

    def read_to_eof(
        self, m: int, too_long_exc_type: type[Exception] = RuntimeError
    ) -> Generator[None, None, bytes]:
        """Read until the end of the stream.

        Raises:
            too_long_exc_type: More than ``m`` bytes arrive.
        """
        while True:
            if len(self.buffer) > m:
                raise too_long_exc_type(
                    f"read {len(self.buffer)} bytes, expected no more than {m} bytes"
                )
            if self.eof:
                break
            yield
        return self._take(len(self.buffer))

    def at_eof(self) -> Generator[None, None, bool]:
        """Wait until data is available or the stream ends; tell whether it ended."""
        while True:
            if self.buffer:
                return False
            if self.eof:
                return True
            yield

    def feed_data(self, data: bytes) -> None:
        """Append ``data`` to the buffer.

        Raises:
            EOFError: The stream already ended.
        """
        if self.eof:
            raise EOFError("stream ended")
        self.buffer += data

    def feed_eof(self) -> None:
        """Mark the end of the stream.

        Raises:
            EOFError: The stream already ended.
        """
        if self.eof:
            raise EOFError("stream ended")
        self.eof = True

    def _take(self, n: int) -> bytes:
        """Remove and return the first ``n`` bytes of the buffer."""
        if n < _COPY_THROUGH_VIEW:
            data = bytes(self.buffer[:n])
        else:
            # One copy instead of two; setting up the view only pays off for large data.
            with memoryview(self.buffer) as view, view[:n] as head:
                data = bytes(head)
        # Deleting from the front of a bytearray doesn't move the rest.
        del self.buffer[:n]
        return data

    def discard(self) -> None:
        """Drop the buffered data."""
        del self.buffer[:]
