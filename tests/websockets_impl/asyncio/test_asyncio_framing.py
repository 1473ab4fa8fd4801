"""The fast paths for whole data frames behave exactly like the Sans-I/O protocol."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest
from asyncio_helpers import encode_frame
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from websockets_impl.asyncio.connection import Connection, _max_frame_size
from websockets_impl.asyncio.framing import (
    FIN_BINARY,
    FIN_TEXT,
    LARGE_FRAME,
    build_header,
    parse_data_frames,
)
from websockets_impl.frames import Frame, Opcode
from websockets_impl.protocol import Protocol, Side
from websockets_impl.streams import StreamReader


class FakeTransport(asyncio.Transport):
    """Records writes; enough of a transport for a Connection fed by hand."""

    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.eof = False
        self.closed = False
        self.reading = True

    def write(self, data: Any) -> None:
        self.written += data

    def can_write_eof(self) -> bool:
        return True

    def write_eof(self) -> None:
        self.eof = True

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def pause_reading(self) -> None:
        self.reading = False

    def resume_reading(self) -> None:
        self.reading = True

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass

    def get_write_buffer_size(self) -> int:
        return 0


def make_connection(side: Side, fast: bool, max_size: int | None) -> Connection:
    connection = Connection(Protocol(side, max_size=max_size), max_queue=None)
    connection.connection_made(FakeTransport())
    connection.fast_path = fast
    return connection


def parse_written(data: bytes, masked: bool) -> list[Frame]:
    """Parse frames written by a connection, with the Sans-I/O frame parser."""
    reader = StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    frames = []
    while reader.buffer:
        parser = Frame.parse(reader.read_exact, mask=masked)
        try:
            next(parser)
        except StopIteration as stop:
            frames.append(stop.value)
    return frames


def outcome(connection: Connection) -> tuple[Any, ...]:
    """What the application and the peer can observe."""
    queued = []
    for item in connection.recv_messages.frames:
        if isinstance(item, Frame):
            queued.append((item.opcode, bytes(item.data), item.fin))
        elif isinstance(item, str):
            queued.append((Opcode.TEXT, item.encode(), True))
        else:
            queued.append((Opcode.BINARY, item, True))
    transport = connection.transport
    assert isinstance(transport, FakeTransport)
    protocol = connection.protocol
    written = [
        (frame.opcode, bytes(frame.data))
        for frame in parse_written(bytes(transport.written), protocol.side is Side.CLIENT)
    ]
    return (
        queued,
        written,
        transport.eof,
        protocol.state,
        protocol.close_rcvd,
        protocol.close_sent,
        type(protocol.parser_exc),
    )


frames_strategy = st.lists(
    st.one_of(
        st.builds(
            Frame,
            st.sampled_from([Opcode.TEXT, Opcode.BINARY]),
            st.binary(max_size=300),
            fin=st.booleans(),
        ),
        st.builds(Frame, st.just(Opcode.TEXT), st.text(max_size=100).map(str.encode)),
        # Sizes at the edges of the limits and of the length encodings.
        st.builds(
            Frame,
            st.sampled_from([Opcode.TEXT, Opcode.BINARY]),
            st.sampled_from([99, 100, 101, 125, 126, 999, 1000, 1001]).map(b"s".__mul__),
        ),
        st.builds(Frame, st.just(Opcode.CONT), st.binary(max_size=50), fin=st.booleans()),
        st.builds(Frame, st.sampled_from([Opcode.PING, Opcode.PONG]), st.binary(max_size=20)),
        st.builds(Frame, st.just(Opcode.BINARY), st.binary(max_size=10), rsv2=st.just(True)),
        st.builds(Frame, st.just(Opcode.CLOSE), st.just(b"\x03\xe8bye")),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    frames=frames_strategy,
    cuts=st.lists(st.integers(min_value=0, max_value=4000), max_size=12),
    side=st.sampled_from([Side.SERVER, Side.CLIENT]),
    max_size=st.sampled_from([None, 100, 1000]),
    wrong_mask=st.booleans(),
)
def test_fast_path_matches_the_sans_io_protocol(
    frames: list[Frame], cuts: list[int], side: Side, max_size: int | None, wrong_mask: bool
) -> None:
    # Frames to a server are masked; a few tests send them with the wrong masking.
    masked = (side is Side.SERVER) != wrong_mask
    stream = b"".join(encode_frame(frame, mask=masked) for frame in frames)
    chunks = []
    start = 0
    for cut in sorted({min(cut, len(stream)) for cut in cuts}):
        chunks.append(stream[start:cut])
        start = cut
    chunks.append(stream[start:])

    async def run(fast: bool) -> tuple[Any, ...]:
        connection = make_connection(side, fast, max_size)
        for chunk in chunks:
            if chunk:
                connection.data_received(chunk)
        return outcome(connection)

    assert asyncio.run(run(fast=True)) == asyncio.run(run(fast=False))


@pytest.mark.parametrize("max_size", [None, 100, (100, 50), (None, 100), (50, None)])
@pytest.mark.parametrize("size", [49, 50, 51, 99, 100, 101, 125, 126])
@pytest.mark.parametrize("side", [Side.SERVER, Side.CLIENT])
async def test_fast_path_enforces_max_size_like_the_protocol(
    max_size: Any, size: int, side: Side
) -> None:
    data = encode_frame(Frame(Opcode.BINARY, b"s" * size), mask=side is Side.SERVER)
    results = []
    for fast in (True, False):
        connection = Connection(Protocol(side, max_size=max_size), max_queue=None)
        connection.connection_made(FakeTransport())
        connection.fast_path = fast
        connection.max_frame_size = _max_frame_size(connection.protocol)
        connection.data_received(data)
        results.append(outcome(connection))
    assert results[0] == results[1]


def test_parse_data_frames_stops_at_incomplete_and_control_frames() -> None:
    received: list[str | bytes] = []
    whole = encode_frame(Frame(Opcode.TEXT, b"hi"), mask=False)
    ping = encode_frame(Frame(Opcode.PING, b""), mask=False)
    partial = encode_frame(Frame(Opcode.BINARY, b"abcdef"), mask=False)[:-1]
    assert parse_data_frames(whole + ping + whole, False, None, received.append) == len(whole)
    assert received == ["hi"]
    assert parse_data_frames(whole + partial, False, None, received.append) == len(whole)
    assert received == ["hi", "hi"]


def test_parse_data_frames_rejects_invalid_utf8_and_oversized_frames() -> None:
    received: list[str | bytes] = []
    bad_text = encode_frame(Frame(Opcode.TEXT, b"\xff"), mask=True)
    assert parse_data_frames(bad_text, True, None, received.append) == 0
    big = encode_frame(Frame(Opcode.BINARY, b"x" * 101), mask=True)
    assert parse_data_frames(big, True, 100, received.append) == 0
    assert parse_data_frames(big, True, 101, received.append) == len(big)
    assert received == [b"x" * 101]


def test_parse_data_frames_handles_all_length_encodings() -> None:
    received: list[str | bytes] = []
    for size in (0, 125, 126, 65535, 65536, 70000):
        frame = encode_frame(Frame(Opcode.BINARY, b"z" * size), mask=True)
        assert parse_data_frames(frame, True, None, received.append) == len(frame)
    assert [len(message) for message in received] == [0, 125, 126, 65535, 65536, 70000]


def test_build_header_matches_frame_serialization() -> None:
    for size in (0, 1, 125, 126, 65535, 65536, 100_000):
        data = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
        for first, opcode in ((FIN_TEXT, Opcode.TEXT), (FIN_BINARY, Opcode.BINARY)):
            header, payload = build_header(first, data, masked=False)
            assert header + payload == Frame(opcode, data).serialize(mask=False)
            header, payload = build_header(first, data, masked=True)
            (frame,) = parse_written(header + bytes(payload), masked=True)
            assert (frame.opcode, frame.data, frame.fin) == (opcode, data, True)


large_frames_strategy = st.lists(
    st.one_of(
        # Around the size from which frames split across reads are collected in chunks.
        st.builds(
            Frame,
            st.sampled_from([Opcode.TEXT, Opcode.BINARY]),
            st.sampled_from([LARGE_FRAME - 1, LARGE_FRAME, 70_000, 200_000]).map(b"L".__mul__),
        ),
        # A large text frame whose last byte makes it invalid UTF-8.
        st.builds(Frame, st.just(Opcode.TEXT), st.just(b"x" * 70_000 + b"\xff")),
        st.builds(Frame, st.sampled_from([Opcode.TEXT, Opcode.BINARY]), st.binary(max_size=50)),
        st.builds(Frame, st.just(Opcode.PING), st.binary(max_size=20)),
        st.builds(Frame, st.just(Opcode.CLOSE), st.just(b"\x03\xe8bye")),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    frames=large_frames_strategy,
    cuts=st.lists(st.integers(min_value=0, max_value=500_000), max_size=8),
    side=st.sampled_from([Side.SERVER, Side.CLIENT]),
    max_size=st.sampled_from([None, 100_000]),
    eof=st.booleans(),
)
def test_large_frames_across_reads_match_the_sans_io_protocol(
    frames: list[Frame], cuts: list[int], side: Side, max_size: int | None, eof: bool
) -> None:
    stream = b"".join(encode_frame(frame, mask=side is Side.SERVER) for frame in frames)
    bounds = sorted({0, len(stream), *(min(cut, len(stream)) for cut in cuts)})
    chunks = [stream[a:b] for a, b in itertools.pairwise(bounds)]
    if eof and chunks:
        chunks = chunks[:-1]  # the stream stops mid-way, then ends

    async def run(fast: bool) -> tuple[Any, ...]:
        connection = make_connection(side, fast, max_size)
        connection.max_frame_size = _max_frame_size(connection.protocol)
        for chunk in chunks:
            connection.data_received(chunk)
        if eof:
            connection.eof_received()
        return outcome(connection)

    assert asyncio.run(run(fast=True)) == asyncio.run(run(fast=False))
