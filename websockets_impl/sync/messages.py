"""Reassembly of incoming frames into messages for the threading implementation."""

from __future__ import annotations

import codecs
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator

from ..exceptions import ConcurrencyError, TooManyFragments
from ..frames import OP_CONT, OP_TEXT, Frame

__all__ = ["Assembler"]

MAX_FRAGMENTS = int(os.environ.get("WEBSOCKETS_MAX_FRAGMENTS", "4096"))

UTF8Decoder = codecs.getincrementaldecoder("utf-8")


def _noop() -> None:
    return None


class Assembler:
    """Thread-safe queue of data frames that hands out messages or their fragments.

    The reading thread calls :meth:`put`; the application's threads call
    :meth:`get` or :meth:`get_iter`. ``high`` and ``low`` count frames: ``pause``
    runs when more than ``high`` frames wait, ``resume`` when they drop to ``low``.

    """

    def __init__(
        self,
        high: int | None = None,
        low: int | None = None,
        pause: Callable[[], object] = _noop,
        resume: Callable[[], object] = _noop,
    ) -> None:
        if high is not None and low is None:
            low = high // 4
        if high is None and low is not None:
            high = low * 4
        if low is not None and low < 0:
            raise ValueError("low must be positive or equal to zero")
        if high is not None and low is not None and high < low:
            raise ValueError("high must be greater than or equal to low")
        self.high = high
        self.low = low
        self.pause = pause
        self.resume = resume
        self.paused = False
        # One lock for the queue, the flags and the condition readers wait on.
        self.mutex = threading.Lock()
        self.frames_available = threading.Condition(self.mutex)
        self.frames: deque[Frame] = deque()
        self.get_in_progress = False
        self.closed = False

    # Reader side.

    def put(self, frame: Frame) -> None:
        """Add a data frame; the reading thread calls it.

        Raises:
            EOFError: the assembler is closed.

        """
        with self.mutex:
            if self.closed:
                raise EOFError("stream of frames ended")
            self.frames.append(frame)
            self.frames_available.notify()
            if self.high is not None and not self.paused and len(self.frames) > self.high:
                self.paused = True
                pause = True
            else:
                pause = False
        if pause:
            self.pause()

    def close(self) -> None:
        """End the stream: waiting and later reads of an empty queue get :exc:`EOFError`."""
        with self.mutex:
            if self.closed:
                return
            self.closed = True
            self.frames_available.notify_all()
            resume = self.paused
            self.paused = False
        if resume:
            self.resume()

    # Application side.

    def get(self, timeout: float | None = None, decode: bool | None = None) -> str | bytes:
        """Return the next message, waiting up to ``timeout`` seconds for it.

        Raises:
            EOFError: the stream ended and no message is left.
            TimeoutError: no whole message arrived in time; nothing is consumed.
            ConcurrencyError: another thread is reading.
            TooManyFragments: the message has more than ``MAX_FRAGMENTS`` frames.

        """
        with self.mutex:
            if self.get_in_progress:
                raise ConcurrencyError("get() or get_iter() is already running")
            self.get_in_progress = True
            try:
                frames = self._take_message(timeout)
            finally:
                self.get_in_progress = False
        self._maybe_resume()
        first = frames[0]
        data = b"".join(frame.data for frame in frames)
        is_text = first.opcode is OP_TEXT
        if decode is None:
            decode = is_text
        if decode:
            return data.decode()
        return data

    def _take_message(self, timeout: float | None) -> list[Frame]:
        """Pop the frames of one whole message; the caller holds the mutex."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            end = self._message_end()
            if end is not None:
                return [self.frames.popleft() for _ in range(end + 1)]
            if len(self.frames) > MAX_FRAGMENTS:
                raise TooManyFragments(MAX_FRAGMENTS)
            if self.closed:
                raise EOFError("stream of frames ended")
            if deadline is None:
                self.frames_available.wait()
                continue
            left = deadline - time.monotonic()
            if left <= 0 or not self.frames_available.wait(left):
                if self._message_end() is not None:
                    continue
                assert timeout is not None
                raise TimeoutError(f"timed out in {timeout:.1f}s")

    def _message_end(self) -> int | None:
        for index, frame in enumerate(self.frames):
            if frame.fin:
                if index >= MAX_FRAGMENTS:
                    raise TooManyFragments(MAX_FRAGMENTS)
                return index
        return None

    def get_iter(self, decode: bool | None = None) -> Iterator[str | bytes]:
        """Yield the next message fragment by fragment, as each frame arrives.

        Raises:
            EOFError: the stream ended before the message did.
            ConcurrencyError: another thread is reading.

        """
        with self.mutex:
            if self.get_in_progress:
                raise ConcurrencyError("get() or get_iter() is already running")
            self.get_in_progress = True
        try:
            decoder = None
            first = True
            while True:
                with self.mutex:
                    while not self.frames:
                        if self.closed:
                            raise EOFError("stream of frames ended")
                        self.frames_available.wait()
                    frame = self.frames.popleft()
                self._maybe_resume()
                if first:
                    first = False
                    if decode is None:
                        decode = frame.opcode is OP_TEXT
                    if decode:
                        decoder = UTF8Decoder(errors="strict")
                else:
                    assert frame.opcode is OP_CONT
                if decoder is not None:
                    yield decoder.decode(frame.data, frame.fin)
                else:
                    yield bytes(frame.data)
                if frame.fin:
                    return
        finally:
            with self.mutex:
                self.get_in_progress = False

    def _maybe_resume(self) -> None:
        with self.mutex:
            if not self.paused or self.low is None or len(self.frames) > self.low:
                return
            self.paused = False
        self.resume()
