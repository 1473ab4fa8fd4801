"""Reassembly of incoming data frames into messages, with read flow control."""

from __future__ import annotations

import asyncio
import codecs
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Generic, TypeVar

from ..exceptions import ConcurrencyError
from ..frames import Frame, Opcode

__all__ = ["Assembler"]

T = TypeVar("T")

CONCURRENT_READ = (
    "cannot call recv or recv_streaming while another coroutine "
    "is already running recv or recv_streaming"
)


def _noop() -> None:
    return None


class SimpleQueue(Generic[T]):
    """A FIFO queue with a single reader that can be woken up by :meth:`abort`.

    Lighter than :class:`asyncio.Queue` (no size limit, no task tracking). Create it
    inside a running event loop.
    """

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.get_waiter: asyncio.Future[None] | None = None
        self.queue: deque[T] = deque()

    def __len__(self) -> int:
        return len(self.queue)

    def put(self, item: T) -> None:
        """Append ``item`` and wake up the waiting :meth:`get`, if any."""
        self.queue.append(item)
        if self.get_waiter is not None and not self.get_waiter.done():
            self.get_waiter.set_result(None)

    async def get(self, block: bool = True) -> T:
        """Remove and return the first item; wait for one unless ``block`` is false.

        Raises:
            EOFError: The queue is empty and ``block`` is false, or :meth:`abort` was
                called while waiting.
        """
        if not self.queue:
            if not block:
                raise EOFError("stream of frames ended")
            assert self.get_waiter is None, "cannot call get() concurrently"
            self.get_waiter = self.loop.create_future()
            try:
                await self.get_waiter
            finally:
                self.get_waiter.cancel()
                self.get_waiter = None
        return self.queue.popleft()

    def reset(self, items: Iterable[T]) -> None:
        """Fill an empty queue with ``items``."""
        assert not self.queue, "queue isn't empty"
        self.queue.extend(items)

    def put_back(self, items: Iterable[T]) -> None:
        """Put ``items`` back at the front of the queue, in order."""
        self.queue.extendleft(reversed(list(items)))

    def abort(self) -> None:
        """Make the waiting :meth:`get`, if any, raise :exc:`EOFError`."""
        if self.get_waiter is not None and not self.get_waiter.done():
            self.get_waiter.set_exception(EOFError("stream of frames ended"))


class Assembler:
    """Queue of data frames that hands out whole messages or their fragments.

    Frames stay in the queue until a whole message is available, so a ``get``
    that is cancelled consumes nothing. ``pause`` runs when more than ``high``
    frames are queued and ``resume`` once the queue is back to ``low`` frames.
    Whole messages parsed by the fast path are queued as :class:`str` (text,
    already decoded) or :class:`bytes` (binary) and count as one frame.

    """

    __slots__ = (
        "closed",
        "discarding",
        "frames",
        "get_in_progress",
        "high",
        "loop",
        "low",
        "messages",
        "pause",
        "paused",
        "resume",
        "waiter",
    )

    def __init__(
        self,
        high: int | None = None,
        low: int | None = None,
        pause: Callable[[], None] = _noop,
        resume: Callable[[], None] = _noop,
    ) -> None:
        if high is not None and low is None:
            low = high // 4
        if high is None and low is not None:
            high = low * 4
        if high is not None and low is not None and not 0 <= low <= high:
            raise ValueError("low must be positive and equal or less than high")
        self.frames: deque[Frame | str | bytes] = deque()
        # Number of complete messages in ``frames``, i.e. of final frames.
        self.messages = 0
        self.waiter: asyncio.Future[None] | None = None
        # The loop of the first get(): asking asyncio for it costs a getpid() syscall.
        self.loop: asyncio.AbstractEventLoop | None = None
        self.get_in_progress = False
        self.closed = False
        # Set when a streaming read was abandoned in the middle of a message.
        self.discarding = False
        self.paused = False
        self.high = high
        self.low = low
        self.pause = pause
        self.resume = resume

    def put_message(self, message: str | bytes) -> None:
        """Add a whole message, text as :class:`str` or binary as :class:`bytes`."""
        self.frames.append(message)
        self.messages += 1
        self._added()

    def put(self, frame: Frame) -> None:
        """Add a data frame (text, binary or continuation) to the queue."""
        if self.closed:
            raise EOFError("stream of frames ended")
        if self.discarding:
            if frame.fin:
                self.discarding = False
            return
        self.frames.append(frame)
        if frame.fin:
            self.messages += 1
        self._added()

    def _added(self) -> None:
        """Wake up a waiting reader; pause reading above the high-water mark."""
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        high = self.high
        if high is not None and not self.paused and len(self.frames) > high:
            self.paused = True
            self.pause()

    def close(self) -> None:
        """End the stream: readers get the queued messages, then :exc:`EOFError`."""
        if self.closed:
            return
        self.closed = True
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def disable_flow_control(self) -> None:
        """Stop pausing reads, e.g. so that a closing handshake can complete."""
        self.high = self.low = None
        if self.paused:
            self.paused = False
            self.resume()

    def _new_waiter(self) -> asyncio.Future[None]:
        loop = self.loop
        if loop is None:
            loop = self.loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        self.waiter = waiter
        return waiter

    async def _wait(self) -> None:
        waiter = self._new_waiter()
        try:
            await waiter
        finally:
            self.waiter = None

    async def get(self, decode: bool | None = None) -> str | bytes:
        """Return the next whole message.

        Text messages are returned as :class:`str` and binary messages as
        :class:`bytes`, unless ``decode`` forces one or the other.

        Raises:
            EOFError: the stream ended and no whole message is left.
            ConcurrencyError: another coroutine is reading.

        """
        if self.get_in_progress:
            raise ConcurrencyError(CONCURRENT_READ)
        if not self.messages:
            self.get_in_progress = True
            try:
                while not self.messages:
                    if self.closed:
                        raise EOFError("stream of frames ended")
                    waiter = self._new_waiter()
                    try:
                        await waiter
                    finally:
                        self.waiter = None
            finally:
                self.get_in_progress = False

        frames = self.frames
        item = frames.popleft()
        self.messages -= 1
        if self.paused and self.low is not None and len(frames) <= self.low:
            self.paused = False
            self.resume()

        # Whole messages from the fast path come first: they're most of the traffic.
        if type(item) is bytes:
            return item if not decode else item.decode()
        if type(item) is str:
            return item if decode is not False else item.encode()

        assert isinstance(item, Frame)
        frame = item
        text = frame.opcode is Opcode.TEXT
        if frame.fin:
            data = frame.data
        else:
            chunks = [frame.data]
            while not frame.fin:
                frame = frames.popleft()  # type: ignore[assignment]
                chunks.append(frame.data)
            data = b"".join(chunks)
            if self.paused and self.low is not None and len(frames) <= self.low:
                self.paused = False
                self.resume()

        if decode is None:
            decode = text
        if decode:
            return str(data, "utf-8")
        return data if type(data) is bytes else bytes(data)

    async def get_iter(self, decode: bool | None = None) -> AsyncIterator[str | bytes]:
        """Yield the fragments of the next message as they arrive.

        If the iteration stops before the end of the message, the rest of the
        message is discarded, so that the next read starts on a new message.

        Raises:
            EOFError: the stream ended before the end of the message.
            ConcurrencyError: another coroutine is reading.

        """
        if self.get_in_progress:
            raise ConcurrencyError(CONCURRENT_READ)
        self.get_in_progress = True
        started = finished = False
        try:
            item = await self._next_frame()
            started = True
            if not isinstance(item, Frame):
                finished = True
                if type(item) is bytes:
                    yield item if not decode else item.decode()
                else:
                    assert isinstance(item, str)
                    yield item if decode is not False else item.encode()
                return
            frame = item
            if decode is None:
                decode = frame.opcode is Opcode.TEXT
            decoder = codecs.getincrementaldecoder("utf-8")() if decode else None
            while True:
                if decoder is not None:
                    yield decoder.decode(frame.data, frame.fin)
                else:
                    data = frame.data
                    yield data if type(data) is bytes else bytes(data)
                if frame.fin:
                    finished = True
                    return
                # Within a fragmented message, only continuation frames are queued.
                frame = await self._next_frame()  # type: ignore[assignment]
        finally:
            self.get_in_progress = False
            if started and not finished:
                self._discard_partial_message()

    async def _next_frame(self) -> Frame | str | bytes:
        while not self.frames:
            if self.closed:
                raise EOFError("stream of frames ended")
            await self._wait()
        frame = self.frames.popleft()
        if not isinstance(frame, Frame) or frame.fin:
            self.messages -= 1
        if self.paused and self.low is not None and len(self.frames) <= self.low:
            self.paused = False
            self.resume()
        return frame

    def _discard_partial_message(self) -> None:
        frames = self.frames
        while frames:
            frame = frames.popleft()
            assert isinstance(frame, Frame)
            if frame.fin:
                self.messages -= 1
                return
        # The end of the message hasn't arrived yet; drop it when it does.
        self.discarding = True
