"""Unit tests of the Assembler: message reassembly, decoding, flow control, concurrency."""

from __future__ import annotations

import asyncio

import pytest

from websockets_impl.asyncio.messages import Assembler, SimpleQueue
from websockets_impl.exceptions import ConcurrencyError
from websockets_impl.frames import Frame, Opcode


def text(data: str, fin: bool = True) -> Frame:
    return Frame(Opcode.TEXT, data.encode(), fin=fin)


def binary(data: bytes, fin: bool = True) -> Frame:
    return Frame(Opcode.BINARY, data, fin=fin)


def cont(data: bytes, fin: bool = True) -> Frame:
    return Frame(Opcode.CONT, data, fin=fin)


class FlowControl:
    def __init__(self) -> None:
        self.events: list[str] = []

    def pause(self) -> None:
        self.events.append("pause")

    def resume(self) -> None:
        self.events.append("resume")


async def test_get_returns_text_as_str_and_binary_as_bytes() -> None:
    assembler = Assembler()
    assembler.put(text("café"))
    assembler.put(binary(b"\x00\xff"))
    assert await assembler.get() == "café"
    assert await assembler.get() == b"\x00\xff"


async def test_get_decode_overrides_the_opcode() -> None:
    assembler = Assembler()
    assembler.put(text("café"))
    assembler.put(binary(b"tea"))
    assert await assembler.get(decode=False) == "café".encode()
    assert await assembler.get(decode=True) == "tea"


async def test_get_returns_bytes_for_bytearray_and_memoryview_payloads() -> None:
    assembler = Assembler()
    assembler.put(Frame(Opcode.BINARY, bytearray(b"ab")))
    assembler.put(Frame(Opcode.BINARY, memoryview(b"cd")))
    first, second = await assembler.get(), await assembler.get()
    assert (type(first), first) == (bytes, b"ab")
    assert (type(second), second) == (bytes, b"cd")


async def test_get_reassembles_fragments() -> None:
    assembler = Assembler()
    assembler.put(text("ca", fin=False))
    # A multi-byte character split across frames decodes once reassembled.
    assembler.put(cont("é".encode()[:1], fin=False))
    assembler.put(cont("é".encode()[1:] + b"!"))
    assert await assembler.get() == "caé!"


async def test_get_waits_for_the_last_fragment() -> None:
    assembler = Assembler()
    getter = asyncio.create_task(assembler.get())
    assembler.put(binary(b"a", fin=False))
    await asyncio.sleep(0)
    assert not getter.done()
    assembler.put(cont(b"b"))
    assert await getter == b"ab"


async def test_cancelled_get_consumes_nothing() -> None:
    assembler = Assembler()
    assembler.put(binary(b"a", fin=False))
    getter = asyncio.create_task(assembler.get())
    await asyncio.sleep(0)
    getter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await getter
    assembler.put(cont(b"b"))
    assert await assembler.get() == b"ab"


async def test_concurrent_get_raises_concurrency_error() -> None:
    assembler = Assembler()
    getter = asyncio.create_task(assembler.get())
    await asyncio.sleep(0)
    with pytest.raises(ConcurrencyError):
        await assembler.get()
    with pytest.raises(ConcurrencyError):
        async for _ in assembler.get_iter():
            pass
    assembler.put(binary(b"x"))
    assert await getter == b"x"


async def test_close_keeps_queued_messages_readable_then_raises_eof() -> None:
    assembler = Assembler()
    assembler.put(text("last"))
    assembler.put(text("partial", fin=False))
    assembler.close()
    assert await assembler.get() == "last"
    with pytest.raises(EOFError):
        await assembler.get()
    with pytest.raises(EOFError):
        assembler.put(text("late"))


async def test_close_wakes_a_waiting_get() -> None:
    assembler = Assembler()
    getter = asyncio.create_task(assembler.get())
    await asyncio.sleep(0)
    assembler.close()
    with pytest.raises(EOFError):
        await getter


async def test_get_iter_yields_fragments_as_they_arrive() -> None:
    assembler = Assembler()
    received: list[str | bytes] = []

    async def consume() -> None:
        async for fragment in assembler.get_iter():
            received.append(fragment)

    consumer = asyncio.create_task(consume())
    assembler.put(text("ca", fin=False))
    await asyncio.sleep(0)
    assert received == ["ca"]
    assembler.put(cont("é".encode()[:1], fin=False))
    await asyncio.sleep(0)
    # Half a character can't be decoded yet.
    assert received == ["ca", ""]
    assembler.put(cont("é".encode()[1:]))
    await consumer
    assert received == ["ca", "", "é"]


async def test_get_iter_decode_false_yields_bytes() -> None:
    assembler = Assembler()
    assembler.put(text("ab", fin=False))
    assembler.put(cont(b"cd"))
    assert [f async for f in assembler.get_iter(decode=False)] == [b"ab", b"cd"]


async def test_abandoned_get_iter_discards_the_rest_of_the_message() -> None:
    assembler = Assembler()
    assembler.put(binary(b"a", fin=False))
    iterator = assembler.get_iter()
    assert await anext(iterator) == b"a"
    await iterator.aclose()  # type: ignore[attr-defined]
    assembler.put(cont(b"b", fin=False))
    assembler.put(cont(b"c"))
    assembler.put(binary(b"next"))
    assert await assembler.get() == b"next"


async def test_abandoned_get_iter_discards_queued_fragments() -> None:
    assembler = Assembler()
    assembler.put(binary(b"a", fin=False))
    assembler.put(cont(b"b"))
    assembler.put(binary(b"next"))
    iterator = assembler.get_iter()
    assert await anext(iterator) == b"a"
    await iterator.aclose()  # type: ignore[attr-defined]
    assert await assembler.get() == b"next"


async def test_get_iter_raises_eof_when_closed_mid_message() -> None:
    assembler = Assembler()
    assembler.put(binary(b"a", fin=False))
    assembler.close()
    iterator = assembler.get_iter()
    assert await anext(iterator) == b"a"
    with pytest.raises(EOFError):
        await anext(iterator)


async def test_flow_control_pauses_above_high_and_resumes_at_low() -> None:
    flow = FlowControl()
    assembler = Assembler(high=4, pause=flow.pause, resume=flow.resume)
    assert (assembler.high, assembler.low) == (4, 1)
    for _ in range(4):
        assembler.put(binary(b"x"))
    assert flow.events == []
    assembler.put(binary(b"x"))
    assert flow.events == ["pause"]
    assembler.put(binary(b"x"))
    assert flow.events == ["pause"]
    for _ in range(4):
        await assembler.get()
    assert flow.events == ["pause"]
    await assembler.get()
    assert flow.events == ["pause", "resume"]


async def test_flow_control_counts_frames_not_messages() -> None:
    flow = FlowControl()
    assembler = Assembler(high=2, low=1, pause=flow.pause, resume=flow.resume)
    assembler.put(binary(b"a", fin=False))
    assembler.put(cont(b"b", fin=False))
    assembler.put(cont(b"c", fin=False))
    assert flow.events == ["pause"]
    assembler.put(cont(b"d"))
    assert await assembler.get() == b"abcd"
    assert flow.events == ["pause", "resume"]


async def test_flow_control_disabled_with_none() -> None:
    flow = FlowControl()
    assembler = Assembler(high=None, pause=flow.pause, resume=flow.resume)
    for _ in range(1000):
        assembler.put(binary(b"x"))
    assert flow.events == []


async def test_disable_flow_control_resumes_reading() -> None:
    flow = FlowControl()
    assembler = Assembler(high=1, pause=flow.pause, resume=flow.resume)
    assembler.put(binary(b"x"))
    assembler.put(binary(b"x"))
    assembler.disable_flow_control()
    assert flow.events == ["pause", "resume"]
    for _ in range(10):
        assembler.put(binary(b"x"))
    assert flow.events == ["pause", "resume"]


def test_invalid_water_marks() -> None:
    with pytest.raises(ValueError):
        Assembler(high=1, low=2)
    assert (Assembler(low=2).high, Assembler(low=2).low) == (8, 2)


async def test_low_water_mark_set_to_none_later_never_resumes_reading() -> None:
    flow = FlowControl()
    assembler = Assembler(high=2, low=1, pause=flow.pause, resume=flow.resume)
    for _ in range(3):
        assembler.put(binary(b"x"))
    assert flow.events == ["pause"]
    assembler.low = None
    for _ in range(3):
        await assembler.get()
    assert flow.events == ["pause"]


async def test_low_water_mark_none_while_fragments_are_read() -> None:
    flow = FlowControl()
    assembler = Assembler(high=1, low=0, pause=flow.pause, resume=flow.resume)
    assembler.put(binary(b"a", fin=False))
    assembler.put(cont(b"b"))
    assembler.low = None
    assert await assembler.get() == b"ab"
    assembler.put(binary(b"c", fin=False))
    assembler.put(cont(b"d"))
    assert [fragment async for fragment in assembler.get_iter()] == [b"c", b"d"]
    assert flow.events == ["pause"]


async def test_simple_queue_is_fifo_and_has_a_length() -> None:
    queue: SimpleQueue[int] = SimpleQueue()
    assert len(queue) == 0
    queue.put(1)
    queue.put(2)
    assert len(queue) == 2
    assert await queue.get() == 1
    assert await queue.get(block=False) == 2
    assert len(queue) == 0


async def test_simple_queue_get_without_blocking_on_empty_queue() -> None:
    queue: SimpleQueue[int] = SimpleQueue()
    with pytest.raises(EOFError, match=r"^stream of frames ended$"):
        await queue.get(block=False)


async def test_simple_queue_get_waits_for_put() -> None:
    queue: SimpleQueue[str] = SimpleQueue()
    getter = asyncio.create_task(queue.get())
    await asyncio.sleep(0)
    assert not getter.done()
    queue.put("item")
    assert await asyncio.wait_for(getter, timeout=1) == "item"


async def test_simple_queue_allows_one_waiter() -> None:
    queue: SimpleQueue[str] = SimpleQueue()
    getter = asyncio.create_task(queue.get())
    await asyncio.sleep(0)
    with pytest.raises(AssertionError):
        await queue.get()
    getter.cancel()


async def test_simple_queue_abort_wakes_the_waiter_with_eof() -> None:
    queue: SimpleQueue[str] = SimpleQueue()
    getter = asyncio.create_task(queue.get())
    await asyncio.sleep(0)
    queue.abort()
    with pytest.raises(EOFError, match=r"^stream of frames ended$"):
        await asyncio.wait_for(getter, timeout=1)
    # The queue is still usable.
    queue.put("after")
    assert await queue.get() == "after"


async def test_simple_queue_cancelled_get_lets_another_wait() -> None:
    queue: SimpleQueue[str] = SimpleQueue()
    getter = asyncio.create_task(queue.get())
    await asyncio.sleep(0)
    getter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await getter
    queue.put("item")
    assert await queue.get() == "item"


async def test_simple_queue_reset_and_put_back() -> None:
    queue: SimpleQueue[int] = SimpleQueue()
    queue.reset([1, 2])
    assert len(queue) == 2
    queue.put(3)
    assert await queue.get() == 1
    queue.put_back([0, 1])
    assert [await queue.get() for _ in range(4)] == [0, 1, 2, 3]
    with pytest.raises(AssertionError):
        queue.put(4)
        queue.reset([5])


def test_simple_queue_needs_a_running_loop() -> None:
    with pytest.raises(RuntimeError):
        SimpleQueue()
