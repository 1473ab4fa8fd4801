"""Helpers shared by the Sans-I/O core tests."""

from __future__ import annotations

from collections.abc import Generator
from typing import TypeVar

from websockets_impl.protocol import Protocol
from websockets_impl.streams import StreamReader

T = TypeVar("T")


def run(generator: Generator[None, None, T]) -> T:
    """Drive a parser generator over data already buffered; fail if it waits."""
    try:
        next(generator)
    except StopIteration as exc:
        return exc.value  # type: ignore[no-any-return]
    raise AssertionError("parser is waiting for more data")


def reader_with(data: bytes, *, eof: bool = False) -> StreamReader:
    reader = StreamReader()
    reader.feed_data(data)
    if eof:
        reader.feed_eof()
    return reader


def transfer(source: Protocol, target: Protocol) -> list[bytes]:
    """Deliver everything ``source`` wants to send to ``target``; return it."""
    writes = source.data_to_send()
    for data in writes:
        if data:
            target.receive_data(data)
        else:
            target.receive_eof()
    return writes
