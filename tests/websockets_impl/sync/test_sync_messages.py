"""The threading Assembler and Deadline, from their contracts."""

from __future__ import annotations

import threading
import time

import pytest

from websockets_impl.exceptions import ConcurrencyError
from websockets_impl.frames import OP_BINARY, OP_CONT, OP_TEXT, Frame
from websockets_impl.sync.messages import Assembler
from websockets_impl.sync.utils import Deadline


def test_deadline_counts_down_and_raises_once_elapsed() -> None:
    assert Deadline(None).timeout() is None
    left = Deadline(10).timeout()
    assert left is not None and 9 < left <= 10
    elapsed = Deadline(0)
    with pytest.raises(TimeoutError, match="timed out"):
        elapsed.timeout()
    remaining = elapsed.timeout(raise_if_elapsed=False)
    assert remaining is not None and remaining <= 0


def test_watermarks_default_and_validation() -> None:
    assert (Assembler(high=16).high, Assembler(high=16).low) == (16, 4)
    assert (Assembler(low=4).high, Assembler(low=4).low) == (16, 4)
    with pytest.raises(ValueError, match="low must be positive or equal to zero"):
        Assembler(high=4, low=-1)
    with pytest.raises(ValueError, match="high must be greater than or equal to low"):
        Assembler(high=2, low=3)


def test_get_joins_fragments_and_decodes_per_opcode() -> None:
    assembler = Assembler()
    assembler.put(Frame(OP_TEXT, b"caf", fin=False))
    assembler.put(Frame(OP_CONT, "é".encode(), fin=True))
    assembler.put(Frame(OP_BINARY, b"\x01\x02"))
    assert assembler.get() == "café"
    assert assembler.get() == b"\x01\x02"
    assembler.put(Frame(OP_TEXT, b"abc"))
    assert assembler.get(decode=False) == b"abc"
    assembler.put(Frame(OP_BINARY, b"abc"))
    assert assembler.get(decode=True) == "abc"


def test_get_timeout_keeps_a_partial_message() -> None:
    assembler = Assembler()
    assembler.put(Frame(OP_TEXT, b"hel", fin=False))
    with pytest.raises(TimeoutError, match=r"timed out in 0\.1s"):
        assembler.get(timeout=0.1)
    assembler.put(Frame(OP_CONT, b"lo", fin=True))
    assert assembler.get(timeout=0) == "hello"


def test_get_after_close_returns_queued_messages_then_eof() -> None:
    assembler = Assembler()
    assembler.put(Frame(OP_TEXT, b"last"))
    assembler.close()
    assembler.close()  # idempotent
    assert assembler.get() == "last"
    with pytest.raises(EOFError, match="stream of frames ended"):
        assembler.get()
    with pytest.raises(EOFError, match="stream of frames ended"):
        assembler.put(Frame(OP_TEXT, b"late"))


def test_close_wakes_a_blocked_get() -> None:
    assembler = Assembler()
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            assembler.get()
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    time.sleep(0.05)
    assembler.close()
    thread.join(2)
    assert not thread.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], EOFError)


def test_concurrent_get_raises() -> None:
    assembler = Assembler()
    thread = threading.Thread(target=lambda: assembler.get(timeout=1))
    thread.start()
    time.sleep(0.05)
    with pytest.raises(ConcurrencyError, match=r"get\(\) or get_iter\(\) is already running"):
        assembler.get(timeout=0)
    assembler.put(Frame(OP_TEXT, b"x"))
    thread.join(2)


def test_get_iter_yields_each_fragment_and_decodes_split_characters() -> None:
    assembler = Assembler()
    encoded = "é".encode()
    assembler.put(Frame(OP_TEXT, b"a" + encoded[:1], fin=False))
    assembler.put(Frame(OP_CONT, encoded[1:], fin=True))
    assert list(assembler.get_iter()) == ["a", "é"]
    assembler.put(Frame(OP_BINARY, b"x", fin=False))
    assembler.put(Frame(OP_CONT, b"y", fin=True))
    assert list(assembler.get_iter()) == [b"x", b"y"]


def test_pause_above_high_and_resume_at_low() -> None:
    calls: list[str] = []
    assembler = Assembler(
        high=2, low=1, pause=lambda: calls.append("pause"), resume=lambda: calls.append("resume")
    )
    for _ in range(4):
        assembler.put(Frame(OP_TEXT, b"m"))
    assert calls == ["pause"]
    assembler.get()
    assembler.get()
    assert calls == ["pause"]
    assembler.get()
    assert calls == ["pause", "resume"]


def test_close_resumes_paused_reading() -> None:
    calls: list[str] = []
    assembler = Assembler(
        high=1, pause=lambda: calls.append("pause"), resume=lambda: calls.append("resume")
    )
    assembler.put(Frame(OP_TEXT, b"1"))
    assembler.put(Frame(OP_TEXT, b"2"))
    assembler.close()
    assert calls == ["pause", "resume"]


def test_invalid_utf8_raises_unicode_decode_error() -> None:
    assembler = Assembler()
    assembler.put(Frame(OP_TEXT, b"\xff"))
    with pytest.raises(UnicodeDecodeError):
        assembler.get()
