"""Timeouts, limits, flow control and misbehaving peers."""

from __future__ import annotations

import asyncio
import time

import pytest
from asyncio_helpers import (
    RawClient,
    accept_handshake,
    encode_frame,
    get_port,
    get_uri,
    raw_server,
    read_frame,
    run_server,
)

from websockets_impl.asyncio.client import connect
from websockets_impl.asyncio.server import ServerConnection
from websockets_impl.exceptions import ConnectionClosedError
from websockets_impl.frames import Close, Frame, Opcode
from websockets_impl.protocol import State


async def silent_peer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Complete the opening handshake, then read everything and answer nothing."""
    await accept_handshake(reader, writer)
    while await reader.read(65536):
        pass


def close_code(frame: Frame) -> int:
    assert frame.opcode is Opcode.CLOSE
    return Close.parse(frame.data).code


async def test_close_timeout_when_the_peer_never_answers() -> None:
    async with raw_server(silent_peer) as port:
        ws = await connect(f"ws://127.0.0.1:{port}/", close_timeout=0.2)
        start = time.monotonic()
        await ws.close()
        assert 0.15 < time.monotonic() - start < 1
        assert ws.state is State.CLOSED
        assert ws.close_code == 1006


async def test_close_timeout_when_the_peer_never_closes_tcp() -> None:
    async def answer_close_but_keep_tcp(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await accept_handshake(reader, writer)
        frame = await read_frame(reader)
        writer.write(Frame(Opcode.CLOSE, frame.data).serialize(mask=False))
        await asyncio.sleep(10)

    async with raw_server(answer_close_but_keep_tcp) as port:
        ws = await connect(f"ws://127.0.0.1:{port}/", close_timeout=0.2)
        start = time.monotonic()
        await ws.close()
        assert 0.15 < time.monotonic() - start < 1
        # The closing handshake completed, even though TCP was aborted.
        assert ws.close_code == 1000


async def test_keepalive_timeout_closes_with_1011() -> None:
    async def record_close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await accept_handshake(reader, writer)
        while True:
            frame = await read_frame(reader)
            if frame.opcode is Opcode.CLOSE:
                codes.put_nowait(close_code(frame))
                return

    codes: asyncio.Queue[int] = asyncio.Queue()
    async with raw_server(record_close) as port:
        ws = await connect(
            f"ws://127.0.0.1:{port}/", ping_interval=0.05, ping_timeout=0.1, close_timeout=0.2
        )
        with pytest.raises(ConnectionClosedError):
            await ws.recv()
        assert await codes.get() == 1011
        assert ws.protocol.close_sent is not None
        assert ws.protocol.close_sent.reason == "keepalive ping timeout"


async def test_server_keepalive_timeout_drops_a_dead_client() -> None:
    closed = asyncio.Event()

    async def handler(ws: ServerConnection) -> None:
        await ws.wait_closed()
        closed.set()

    async with run_server(handler, ping_interval=0.05, ping_timeout=0.1, close_timeout=0.1) as srv:
        client = await RawClient.connect(get_port(srv))
        # The client reads nothing: its pongs never come.
        async with asyncio.timeout(2):
            await closed.wait()
        client.close()


async def test_open_timeout_on_the_server_drops_idle_tcp_connections() -> None:
    async with run_server(open_timeout=0.2) as server:
        client = await RawClient.connect(get_port(server), handshake=False)
        start = time.monotonic()
        assert await client.at_eof(timeout=2)
        assert 0.15 < time.monotonic() - start < 1.5
        client.close()


async def test_open_timeout_on_the_server_drops_half_sent_requests() -> None:
    async with run_server(open_timeout=0.2) as server:
        client = await RawClient.connect(get_port(server), handshake=False)
        client.writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        assert await client.at_eof(timeout=2)
        client.close()


async def test_open_timeout_on_the_client() -> None:
    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(10)

    async with raw_server(never_answer) as port:
        start = time.monotonic()
        with pytest.raises(TimeoutError):
            await connect(f"ws://127.0.0.1:{port}/", open_timeout=0.2)
        assert time.monotonic() - start < 1


async def test_many_idle_connections_are_cut_off_without_leaks() -> None:
    async with run_server(open_timeout=0.3) as server:
        clients = await asyncio.gather(
            *(RawClient.connect(get_port(server), handshake=False) for _ in range(200))
        )
        results = await asyncio.gather(*(client.at_eof(timeout=3) for client in clients))
        assert all(results)
        for client in clients:
            client.close()
        await asyncio.sleep(0.05)
        assert not server._connections
        assert not server._handler_tasks


async def test_garbage_request_gets_no_response() -> None:
    # The peer may not speak HTTP at all: the server only closes the connection.
    async with run_server() as server:
        client = await RawClient.connect(get_port(server), handshake=False)
        client.writer.write(b"this is not HTTP\r\n\r\n")
        response = await asyncio.wait_for(client.reader.read(), timeout=5)
        assert response == b""
        client.close()


@pytest.mark.parametrize(
    ("request_head", "status"),
    [
        (b"POST / HTTP/1.1\r\nHost: x\r\n\r\n", b"405"),
        (b"GET / HTTP/1.0\r\nHost: x\r\n\r\n", b"505"),
        (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"414"),
        (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", b"431"),
        (b"GET / HTTP/1.1\r\n" + b"X-Many: a\r\n" * 200 + b"\r\n", b"431"),
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"426"),
    ],
    ids=["method", "http10", "long-line", "long-header", "many-headers", "not-upgrade"],
)
async def test_bad_requests_get_an_error_response(request_head: bytes, status: bytes) -> None:
    async with run_server() as server:
        client = await RawClient.connect(get_port(server), handshake=False)
        client.writer.write(request_head)
        response = await client.reader.read()
        assert response.split(b" ", 2)[1] == status, response[:100]
        client.close()


async def test_process_request_can_answer_non_get_requests() -> None:
    def health(ws: ServerConnection, request: object) -> object:
        return ws.respond(200, "OK\n")

    async with run_server(process_request=health) as server:
        client = await RawClient.connect(get_port(server), handshake=False)
        client.writer.write(b"HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n")
        response = await client.reader.read()
        assert response.startswith(b"HTTP/1.1 200")
        client.close()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (Frame(Opcode.TEXT, b"\xff\xfe"), 1007),
        (Frame(Opcode.TEXT, b"x", rsv2=True), 1002),
        (Frame(Opcode.CONT, b"x"), 1002),
        (Frame(Opcode.PING, b"x", fin=False), 1002),
        (Frame(Opcode.BINARY, b"x" * 2000), 1009),
    ],
    ids=["invalid-utf8", "reserved-bit", "unexpected-continuation", "fragmented-ping", "too-big"],
)
async def test_invalid_frames_fail_the_connection(frame: Frame, code: int) -> None:
    async with run_server(max_size=1000) as server:
        client = await RawClient.connect(get_port(server))
        client.send_frame(frame)
        assert close_code(await client.read_until_close()) == code
        assert await client.at_eof()
        client.close()


async def test_unknown_opcode_fails_the_connection() -> None:
    async with run_server() as server:
        client = await RawClient.connect(get_port(server))
        client.writer.write(b"\x83\x80" + b"\x00" * 4)
        assert close_code(await client.read_until_close()) == 1002
        client.close()


async def test_ping_flood_from_a_peer_that_does_not_read_is_cut_off() -> None:
    connections: list[ServerConnection] = []

    async def handler(ws: ServerConnection) -> None:
        connections.append(ws)
        await ws.wait_closed()

    async with run_server(handler, write_limit=1024, close_timeout=0.2) as server:
        # The client never reads, with a small receive buffer: pongs pile up on the server.
        client = await RawClient.connect(get_port(server), rcvbuf=4096)
        ping = encode_frame(Frame(Opcode.PING, b"p" * 125), mask=True)
        try:
            async with asyncio.timeout(10):
                while server._connections:
                    client.writer.write(ping * 100)
                    await client.writer.drain()
                    await asyncio.sleep(0)
        except ConnectionError:
            pass
        # The server gave up on this client rather than buffering pongs forever.
        async with asyncio.timeout(2):
            while server._connections:
                await asyncio.sleep(0.01)
        client.close()
    (ws,) = connections
    assert ws.protocol.close_sent is not None
    assert (ws.protocol.close_sent.code, ws.protocol.close_sent.reason) == (1008, "too many pings")


async def test_slow_reader_pauses_reading_and_the_writer_waits() -> None:
    # 20 MB: more than kernel socket buffers on loopback can hold.
    count, message = 1000, b"m" * 20_000
    sent = 0
    done = asyncio.Event()

    async def producer(ws: ServerConnection) -> None:
        nonlocal sent
        for _ in range(count):
            await ws.send(message)
            sent += 1
        done.set()
        await ws.wait_closed()

    async with (
        # Without compression, frames keep their size on the wire.
        run_server(producer, write_limit=20_000, compression=None) as server,
        connect(get_uri(server), max_queue=4, compression=None) as ws,
    ):
        await asyncio.sleep(0.2)
        # The client stopped reading its socket; the server's send() is blocked.
        assert not ws.transport.is_reading()
        # Pausing happens within one read of at most 256 KiB, i.e. about 13 frames.
        assert 4 < len(ws.recv_messages.frames) < 32
        assert not done.is_set()
        assert sent < count
        for _ in range(count):
            assert await ws.recv() == message
        await asyncio.wait_for(done.wait(), 2)
        assert ws.transport.is_reading()


async def test_max_queue_none_never_pauses_reading() -> None:
    async def producer(ws: ServerConnection) -> None:
        for _ in range(100):
            await ws.send(b"m")
        await ws.wait_closed()

    async with run_server(producer) as server, connect(get_uri(server), max_queue=None) as ws:
        await asyncio.sleep(0.1)
        assert ws.transport.is_reading()
        assert len(ws.recv_messages.frames) == 100


async def test_max_queue_tuple_sets_both_water_marks() -> None:
    async with run_server() as server, connect(get_uri(server), max_queue=(10, 3)) as ws:
        assert (ws.recv_messages.high, ws.recv_messages.low) == (10, 3)


async def test_write_limit_makes_send_wait_for_a_peer_that_does_not_read() -> None:
    async def never_read(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await accept_handshake(reader, writer)
        await asyncio.sleep(10)

    async with raw_server(never_read) as port:
        ws = await connect(f"ws://127.0.0.1:{port}/", write_limit=4096, close_timeout=0.1)
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(1):
                while True:
                    await ws.send(b"x" * 65536)
        assert ws.paused_writing
        ws.transport.abort()
        await ws.wait_closed()


async def test_close_while_reading_is_paused_completes_the_handshake() -> None:
    async def producer(ws: ServerConnection) -> None:
        for _ in range(50):
            await ws.send(b"m" * 1000)
        await ws.wait_closed()

    async with run_server(producer) as server:
        ws = await connect(get_uri(server), max_queue=2)
        await asyncio.sleep(0.1)
        assert not ws.transport.is_reading()
        start = time.monotonic()
        await ws.close()
        assert time.monotonic() - start < 1
        assert ws.close_code == 1000


async def test_no_tasks_leak_after_the_server_closes() -> None:
    async with run_server() as server:
        for _ in range(5):
            async with connect(get_uri(server)) as ws:
                await ws.send("x")
                await ws.recv()
        idle = await RawClient.connect(get_port(server), handshake=False)
    idle.close()
    await asyncio.sleep(0)
    assert asyncio.all_tasks() == {asyncio.current_task()}
