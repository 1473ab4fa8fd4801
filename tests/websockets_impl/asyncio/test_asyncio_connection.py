"""Connection behaviour over real sockets: messages, fragments, close, pings, attributes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator

import pytest
from asyncio_helpers import accept_handshake, get_uri, raw_server, read_frame, run_server

from websockets_impl.asyncio.client import ClientConnection, connect
from websockets_impl.asyncio.server import ServerConnection, broadcast
from websockets_impl.exceptions import (
    ConcurrencyError,
    ConnectionClosed,
    ConnectionClosedError,
    ConnectionClosedOK,
    ProtocolError,
)
from websockets_impl.protocol import State


async def test_send_and_recv_text_and_binary() -> None:
    async with run_server() as server, connect(get_uri(server)) as ws:
        await ws.send("hello")
        assert await ws.recv() == "hello"
        await ws.send(b"\x00\x01")
        assert await ws.recv() == b"\x00\x01"
        await ws.send(bytearray(b"ba"))
        assert await ws.recv() == b"ba"
        await ws.send(memoryview(b"mv"))
        assert await ws.recv() == b"mv"


async def test_text_argument_overrides_the_opcode() -> None:
    async with run_server() as server, connect(get_uri(server)) as ws:
        await ws.send(b"caf\xc3\xa9", text=True)
        assert await ws.recv() == "café"
        await ws.send("café", text=False)
        assert await ws.recv() == "café".encode()


async def test_recv_decode_argument() -> None:
    async with run_server() as server, connect(get_uri(server)) as ws:
        await ws.send("café")
        assert await ws.recv(decode=False) == "café".encode()
        await ws.send(b"tea")
        assert await ws.recv(decode=True) == "tea"


async def test_send_empty_messages() -> None:
    async with run_server() as server, connect(get_uri(server)) as ws:
        await ws.send("")
        assert await ws.recv() == ""
        await ws.send(b"")
        assert await ws.recv() == b""


async def test_send_rejects_unsupported_types() -> None:
    async with run_server() as server, connect(get_uri(server)) as ws:
        with pytest.raises(TypeError):
            await ws.send({"a": "b"})  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            await ws.send(42)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            await ws.send([42])  # type: ignore[list-item]
        # Nothing was sent: the connection is still usable.
        await ws.send("ok")
        assert await ws.recv() == "ok"


async def test_send_fragmented_from_iterables() -> None:
    async with run_server() as server, connect(get_uri(server)) as ws:
        await ws.send(["ca", "fé"])
        assert await ws.recv() == "café"
        await ws.send([b"a", bytearray(b"b"), memoryview(b"c")])
        assert await ws.recv() == b"abc"
        await ws.send(iter([]))
        await ws.send(["x"], text=False)
        assert await ws.recv() == b"x"


async def test_send_fragmented_from_async_iterables() -> None:
    async def chunks() -> AsyncIterator[str]:
        for chunk in ("a", "b", "c"):
            await asyncio.sleep(0)
            yield chunk

    async def nothing() -> AsyncIterator[bytes]:
        for chunk in ():
            yield chunk

    async with run_server() as server, connect(get_uri(server)) as ws:
        await ws.send(chunks())
        assert await ws.recv() == "abc"
        await ws.send(nothing())
        await ws.send("after")
        assert await ws.recv() == "after"


async def test_fragments_arrive_as_separate_frames() -> None:
    fragments: list[str | bytes] = []

    async def handler(ws: ServerConnection) -> None:
        async for fragment in ws.recv_streaming():
            fragments.append(fragment)
        await ws.send("done")

    async with run_server(handler) as server, connect(get_uri(server)) as ws:
        await ws.send(["a", "b", "c"])
        assert await ws.recv() == "done"
    # The final frame is an empty continuation frame.
    assert fragments == ["a", "b", "c", ""]


async def test_mixed_fragment_types_fail_the_connection() -> None:
    async with run_server() as server, connect(get_uri(server)) as ws:
        with pytest.raises(TypeError):
            await ws.send(["text", b"bytes"])  # type: ignore[list-item]
        await ws.wait_closed()
        assert ws.protocol.close_sent is not None
        assert ws.protocol.close_sent.code == 1011


async def test_send_waits_for_a_fragmented_message() -> None:
    release = asyncio.Event()

    async def slow_chunks() -> AsyncIterator[str]:
        yield "first-"
        await release.wait()
        yield "last"

    async with run_server() as server, connect(get_uri(server)) as ws:
        fragmented = asyncio.create_task(ws.send(slow_chunks()))
        await asyncio.sleep(0.01)
        other = asyncio.create_task(ws.send("other"))
        await asyncio.sleep(0.01)
        assert not other.done()
        release.set()
        await fragmented
        await other
        assert await ws.recv() == "first-last"
        assert await ws.recv() == "other"


async def test_recv_streaming_yields_fragments() -> None:
    async def handler(ws: ServerConnection) -> None:
        await ws.send(["ca", "fé"])
        await ws.send(b"whole")
        await ws.wait_closed()

    async with run_server(handler) as server, connect(get_uri(server)) as ws:
        assert [f async for f in ws.recv_streaming()] == ["ca", "fé", ""]
        assert [f async for f in ws.recv_streaming()] == [b"whole"]


async def test_recv_streaming_after_close_raises_connection_closed() -> None:
    async def handler(ws: ServerConnection) -> None:
        pass

    async with run_server(handler) as server, connect(get_uri(server)) as ws:
        with pytest.raises(ConnectionClosedOK):
            async for _ in ws.recv_streaming():
                pass


async def test_concurrent_recv_raises_concurrency_error() -> None:
    async with run_server() as server, connect(get_uri(server)) as ws:
        first = asyncio.create_task(ws.recv())
        await asyncio.sleep(0)
        with pytest.raises(ConcurrencyError):
            await ws.recv()
        await ws.send("x")
        assert await first == "x"


async def test_messages_received_before_close_remain_readable() -> None:
    async def handler(ws: ServerConnection) -> None:
        for i in range(3):
            await ws.send(str(i))

    async with run_server(handler) as server, connect(get_uri(server)) as ws:
        await ws.wait_closed()
        assert [await ws.recv() for _ in range(3)] == ["0", "1", "2"]
        with pytest.raises(ConnectionClosedOK):
            await ws.recv()


async def test_async_iteration_stops_on_normal_closure() -> None:
    async def handler(ws: ServerConnection) -> None:
        await ws.send("a")
        await ws.send("b")
        await ws.close(1001, "bye")

    async with run_server(handler) as server, connect(get_uri(server)) as ws:
        assert [message async for message in ws] == ["a", "b"]
        assert (ws.close_code, ws.close_reason) == (1001, "bye")


async def test_async_iteration_raises_on_error_closure() -> None:
    async def handler(ws: ServerConnection) -> None:
        await ws.send("a")
        await ws.close(4000, "app error")

    async with run_server(handler) as server, connect(get_uri(server)) as ws:
        received = []
        with pytest.raises(ConnectionClosedError) as raised:
            async for message in ws:
                received.append(message)
        assert received == ["a"]
        assert raised.value.rcvd is not None
        assert (raised.value.rcvd.code, raised.value.rcvd.reason) == (4000, "app error")


async def test_close_code_and_reason_reach_the_peer() -> None:
    closed: asyncio.Future[tuple[int | None, str | None]] = asyncio.Future()

    async def handler(ws: ServerConnection) -> None:
        await ws.wait_closed()
        closed.set_result((ws.close_code, ws.close_reason))

    async with run_server(handler) as server:
        ws = await connect(get_uri(server))
        await ws.close(4321, "custom")
        assert await closed == (4321, "custom")
        assert ws.state is State.CLOSED
        assert ws.protocol.close_sent is not None
        assert ws.protocol.close_sent.code == 4321


async def test_close_is_idempotent_and_operations_after_close_raise() -> None:
    async with run_server() as server:
        ws = await connect(get_uri(server))
        await ws.close()
        await ws.close()
        await ws.wait_closed()
        with pytest.raises(ConnectionClosedOK):
            await ws.send("late")
        with pytest.raises(ConnectionClosedOK):
            await ws.recv()
        with pytest.raises(ConnectionClosedOK):
            await ws.ping()
        with pytest.raises(ConnectionClosedOK):
            await ws.pong()


async def test_recv_raises_after_abnormal_closure() -> None:
    async def handler(ws: ServerConnection) -> None:
        ws.transport.abort()

    async with run_server(handler) as server, connect(get_uri(server)) as ws:
        with pytest.raises(ConnectionClosedError) as raised:
            await ws.recv()
        assert raised.value.rcvd is None
        assert ws.close_code == 1006


async def test_context_manager_closes_with_1000_or_1011() -> None:
    codes: asyncio.Queue[int | None] = asyncio.Queue()

    async def handler(ws: ServerConnection) -> None:
        await ws.wait_closed()
        await codes.put(ws.close_code)

    async with run_server(handler) as server:
        async with connect(get_uri(server)):
            pass
        assert await codes.get() == 1000
        with pytest.raises(ZeroDivisionError):
            async with connect(get_uri(server)):
                1 / 0  # noqa: B018
        assert await codes.get() == 1011
        # The connection's own context manager behaves the same way.
        ws = await connect(get_uri(server))
        with pytest.raises(ZeroDivisionError):
            async with ws:
                1 / 0  # noqa: B018
        assert await codes.get() == 1011


async def test_ping_returns_an_awaitable_latency() -> None:
    async with run_server() as server, connect(get_uri(server)) as ws:
        assert ws.latency == 0
        pong_waiter = await ws.ping()
        latency = await pong_waiter
        assert 0 < latency < 1
        assert ws.latency == latency
        assert 0 < await (await ws.ping("text payload")) < 1
        assert 0 < await (await ws.ping(b"binary payload")) < 1


async def test_ping_with_duplicate_payload_raises_concurrency_error() -> None:
    async def never_pong(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await accept_handshake(reader, writer)
        while await reader.read(65536):
            pass

    async with raw_server(never_pong) as port:
        ws = await connect(f"ws://127.0.0.1:{port}/", close_timeout=0.1)
        first = await ws.ping(b"same")
        with pytest.raises(ConcurrencyError):
            await ws.ping(b"same")
        # Other payloads are fine.
        await ws.ping(b"other")
        await ws.close()
        with pytest.raises(ConnectionClosed):
            await first


async def test_pong_acknowledges_earlier_pings() -> None:
    async with run_server() as server, connect(get_uri(server)) as ws:
        waiters = [await ws.ping(bytes([i])) for i in range(3)]
        # A pong for the last ping acknowledges all three.
        ws._acknowledge_pings(bytes([2]))
        assert all(waiter.done() for waiter in waiters)
        assert not ws.pending_pings


async def test_pending_pings_fail_when_the_connection_closes() -> None:
    async def handler(ws: ServerConnection) -> None:
        ws.transport.pause_reading()
        await asyncio.sleep(0.1)
        ws.transport.abort()

    async with run_server(handler) as server, connect(get_uri(server)) as ws:
        waiter = await ws.ping()
        with pytest.raises(ConnectionClosed):
            await waiter


async def test_unsolicited_pong_is_sent_and_ignored() -> None:
    async with run_server() as server, connect(get_uri(server)) as ws:
        await ws.pong(b"unsolicited")
        await ws.pong("text")
        await ws.send("still open")
        assert await ws.recv() == "still open"


async def test_keepalive_updates_latency() -> None:
    async with (
        run_server() as server,
        connect(get_uri(server), ping_interval=0.02, ping_timeout=1) as ws,
    ):
        await asyncio.sleep(0.15)
        assert ws.latency > 0
        assert ws.state is State.OPEN


async def test_keepalive_without_ping_timeout_keeps_pinging() -> None:
    pings = 0

    async with run_server() as server:
        ws = await connect(get_uri(server), ping_interval=0.02, ping_timeout=None)
        original = ws.protocol.send_ping

        def counting_send_ping(data: bytes) -> None:
            nonlocal pings
            pings += 1
            original(data)

        ws.protocol.send_ping = counting_send_ping  # type: ignore[method-assign]
        await asyncio.sleep(0.15)
        await ws.close()
    assert pings >= 3


async def test_no_keepalive_when_ping_interval_is_none() -> None:
    async with (
        run_server() as server,
        connect(get_uri(server), ping_interval=None) as ws,
    ):
        assert ws.keepalive_timer is None


async def test_attributes() -> None:
    server_side: asyncio.Future[ServerConnection] = asyncio.Future()

    async def handler(ws: ServerConnection) -> None:
        server_side.set_result(ws)
        await ws.wait_closed()

    async with run_server(handler) as server, connect(get_uri(server, path="/path?q=1")) as ws:
        assert isinstance(ws, ClientConnection)
        peer = await server_side
        assert isinstance(ws.id, uuid.UUID)
        assert ws.id != peer.id
        assert isinstance(ws.logger, logging.LoggerAdapter)
        assert ws.logger.extra is not None
        assert ws.logger.extra["websocket"].id == ws.id
        assert ws.state is State.OPEN
        assert ws.local_address == peer.remote_address
        assert ws.remote_address == peer.local_address
        assert ws.request is not None and ws.request.path == "/path?q=1"
        assert peer.request is not None and peer.request.path == "/path?q=1"
        assert ws.response is not None and ws.response.status_code == 101
        assert peer.response is not None and peer.response.status_code == 101
        assert ws.subprotocol is None
        assert ws.close_code is None and ws.close_reason is None
    assert ws.state is State.CLOSED
    assert (ws.close_code, ws.close_reason) == (1000, "")


async def test_large_messages_both_ways() -> None:
    message = bytes(range(256)) * 4096  # 1 MiB
    async with (
        run_server(max_size=2**21) as server,
        connect(get_uri(server), max_size=2**21) as ws,
    ):
        await ws.send(message)
        assert await ws.recv() == message
        await ws.send([message[: 2**19], message[2**19 :]])
        assert await ws.recv() == message


async def test_max_size_closes_with_1009() -> None:
    async with run_server(max_size=1000) as server, connect(get_uri(server)) as ws:
        await ws.send(b"x" * 1001)
        with pytest.raises(ConnectionClosedError) as raised:
            await ws.recv()
        assert raised.value.rcvd is not None
        assert raised.value.rcvd.code == 1009


async def test_max_size_none_accepts_anything() -> None:
    message = b"y" * (2**20 + 1)
    async with (
        run_server(max_size=None) as server,
        connect(get_uri(server), max_size=None) as ws,
    ):
        await ws.send(message)
        assert await ws.recv() == message


async def test_invalid_close_code_raises_before_sending() -> None:
    async with run_server() as server, connect(get_uri(server)) as ws:
        with pytest.raises(ProtocolError):
            await ws.close(999)
        # Nothing was sent: the connection is still open.
        await ws.send("still open")
        assert await ws.recv() == "still open"


async def test_timeouts_can_be_disabled() -> None:
    options = {"open_timeout": None, "close_timeout": None, "ping_interval": None}
    async with (
        run_server(ping_timeout=None, **options) as server,
        connect(get_uri(server), ping_timeout=None, **options) as ws,
    ):
        await ws.send("no timeouts")
        assert await ws.recv() == "no timeouts"
        assert ws.keepalive_timer is None
    assert ws.close_code == 1000


# Hangs: each test is bounded so that a regression fails fast instead of hanging.


@pytest.mark.parametrize("failing_side", ["client", "server"])
async def test_unexpected_error_on_the_receive_path_fails_with_1011(
    failing_side: str, caplog: pytest.LogCaptureFixture
) -> None:
    bug = RuntimeError("bug in the parser")
    peer_exc: list[ConnectionClosed] = []
    server_conn: list[ServerConnection] = []

    def broken_events() -> list[object]:
        raise bug

    async def handler(ws: ServerConnection) -> None:
        server_conn.append(ws)
        if failing_side == "server":
            ws.protocol.events_received = broken_events  # type: ignore[method-assign]
            ws.fast_path = False
        try:
            async for message in ws:
                await ws.send(message)
        except ConnectionClosed as exc:
            peer_exc.append(exc)
            raise

    async with (
        asyncio.timeout(5),
        run_server(handler) as server,
        connect(get_uri(server)) as client,
    ):
        if failing_side == "client":
            client.protocol.events_received = broken_events  # type: ignore[method-assign]
            client.fast_path = False
            failing: ClientConnection | ServerConnection = client
        else:
            await client.send("wake up")
            failing = server_conn[0] if server_conn else client
        await client.send("ping me back")
        if failing_side == "client":
            with pytest.raises(ConnectionClosedError) as raised:
                await client.recv()
            assert raised.value.sent is not None
            assert raised.value.sent.code == 1011
            assert raised.value.__cause__ is bug
        else:
            with pytest.raises(ConnectionClosedError) as raised:
                await client.recv()
            assert raised.value.rcvd is not None
            assert raised.value.rcvd.code == 1011
        await failing.close()
        assert failing.state is State.CLOSED
    assert "unexpected internal error" in caplog.text


async def test_connection_lost_closes_the_connection_even_if_the_parser_raises() -> None:
    async with asyncio.timeout(5), run_server() as server, connect(get_uri(server)) as ws:

        def broken_eof() -> None:
            raise RuntimeError("bug at end of stream")

        ws.protocol.receive_eof = broken_eof  # type: ignore[method-assign]
        ws.transport.abort()
        with pytest.raises(ConnectionClosedError):
            await ws.recv()
        await ws.close()
        assert ws.state is State.CLOSED


async def test_cancelled_recv_streaming_makes_the_next_read_raise_concurrency_error() -> None:
    release = asyncio.Event()

    async def first_then_wait() -> AsyncIterator[str]:
        yield "first "
        await release.wait()
        yield "rest"

    async def handler(ws: ServerConnection) -> None:
        await ws.send(first_then_wait())
        await ws.send("next message")
        await ws.wait_closed()

    async with asyncio.timeout(5), run_server(handler) as server, connect(get_uri(server)) as ws:
        got_first = asyncio.Event()

        async def stream() -> None:
            async for _ in ws.recv_streaming():
                got_first.set()

        reader = asyncio.create_task(stream())
        await got_first.wait()
        reader.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reader
        release.set()
        with pytest.raises(ConcurrencyError, match="cancelled recv_streaming"):
            await ws.recv()
        # The rest of the cancelled message is gone; the next message is whole.
        assert await ws.recv() == "next message"


async def test_breaking_out_of_recv_streaming_discards_the_message_silently() -> None:
    async def handler(ws: ServerConnection) -> None:
        await ws.send(["a", "b", "c"])
        await ws.send("next")
        await ws.wait_closed()

    async with asyncio.timeout(5), run_server(handler) as server, connect(get_uri(server)) as ws:
        # aclosing() closes the generator on break, rather than when it's collected.
        async with contextlib.aclosing(ws.recv_streaming()) as fragments:
            async for _ in fragments:
                break
        assert await ws.recv() == "next"


# Transports: any object with a transport's methods will do.


class ForwardingTransport:
    """Not an asyncio.Transport: forwards every attribute to the real transport."""

    def __init__(self, transport: asyncio.BaseTransport) -> None:
        self.wrapped = transport

    def __getattr__(self, name: str) -> object:
        return getattr(self.wrapped, name)


class WrappedClientConnection(ClientConnection):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(ForwardingTransport(transport))  # type: ignore[arg-type]


class WrappedServerConnection(ServerConnection):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(ForwardingTransport(transport))  # type: ignore[arg-type]


async def test_connections_accept_any_transport_like_object() -> None:
    async with (
        asyncio.timeout(5),
        run_server(create_connection=WrappedServerConnection) as server,
        connect(get_uri(server), create_connection=WrappedClientConnection) as ws,
    ):
        assert isinstance(ws.transport, ForwardingTransport)
        await ws.send("through a wrapper")
        assert await ws.recv() == "through a wrapper"
        assert ws.remote_address == server.sockets[0].getsockname()
        server_ws = next(iter(server.connections))
        assert isinstance(server_ws.transport, ForwardingTransport)
    assert ws.close_code == 1000


# Errors on the send path.


class FailingWrites(ForwardingTransport):
    """A transport whose writes fail, as asyncio's do after write_eof()."""

    def write(self, data: bytes) -> None:
        raise RuntimeError("Cannot call write() after write_eof()")


async def test_write_failure_closes_with_the_error_as_cause() -> None:
    async with asyncio.timeout(5), run_server() as server:
        ws = await connect(get_uri(server))
        ws.transport = FailingWrites(ws.transport)  # type: ignore[assignment]
        with pytest.raises(ConnectionClosedError) as raised:
            await ws.send("lost")
        assert isinstance(raised.value.__cause__, RuntimeError)
        with pytest.raises(ConnectionClosedError) as raised_again:
            await ws.recv()
        assert raised_again.value.__cause__ is raised.value.__cause__
        await ws.close()  # doesn't raise
        assert ws.state is State.CLOSED


async def test_unexpected_error_in_send_closes_with_the_error_as_cause(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bug = ValueError("bug in the protocol")

    def broken_send_text(data: bytes, fin: bool = True) -> None:
        raise bug

    async with asyncio.timeout(5), run_server() as server:
        ws = await connect(get_uri(server))
        ws.fast_path = False
        ws.protocol.send_text = broken_send_text  # type: ignore[method-assign]
        with pytest.raises(ConnectionClosedError) as raised:
            await ws.send("anything")
        assert raised.value.__cause__ is bug
        await ws.close()
    assert "unexpected internal error" in caplog.text


async def test_close_timeout_is_the_cause_of_the_closure() -> None:
    async def never_answer_close(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await accept_handshake(reader, writer)
        while await reader.read(65536):
            pass

    async with asyncio.timeout(5), raw_server(never_answer_close) as port:
        ws = await connect(f"ws://127.0.0.1:{port}/", close_timeout=0.1)
        await ws.close()  # doesn't raise
        assert ws.close_code == 1006
        with pytest.raises(ConnectionClosedError) as raised:
            await ws.recv()
        assert raised.value.sent is not None
        assert raised.value.sent.code == 1000
        assert raised.value.rcvd is None
        assert isinstance(raised.value.__cause__, TimeoutError)
        assert str(raised.value.__cause__) == "timed out while closing connection"


async def test_ping_and_pong_reject_other_types() -> None:
    async with asyncio.timeout(5), run_server() as server, connect(get_uri(server)) as ws:
        with pytest.raises(TypeError, match="data must be str or bytes-like"):
            await ws.ping([])  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="data must be str or bytes-like"):
            await ws.pong(42)  # type: ignore[arg-type]
        await ws.ping("text")
        await ws.pong(bytearray(b"bytes"))


async def test_concurrent_reads_name_the_method_called() -> None:
    async with asyncio.timeout(5), run_server() as server, connect(get_uri(server)) as ws:
        first = asyncio.create_task(ws.recv())
        await asyncio.sleep(0)
        with pytest.raises(ConcurrencyError) as raised:
            await ws.recv()
        assert str(raised.value) == (
            "cannot call recv while another coroutine is already running recv or recv_streaming"
        )
        with pytest.raises(ConcurrencyError) as raised:
            async for _ in ws.recv_streaming():
                pass
        assert str(raised.value) == (
            "cannot call recv_streaming while another coroutine "
            "is already running recv or recv_streaming"
        )
        await ws.send("x")
        assert await first == "x"


async def test_fragmented_send_waits_for_the_buffer_after_each_frame() -> None:
    received: asyncio.Queue[bytes] = asyncio.Queue()

    async def record(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await accept_handshake(reader, writer)
        while True:
            frame = await read_frame(reader)
            await received.put(bytes(frame.data))

    async with asyncio.timeout(5), raw_server(record) as port:
        ws = await connect(f"ws://127.0.0.1:{port}/", close_timeout=0.1)
        ws.pause_writing()  # as the transport does above the high-water mark
        sending = asyncio.create_task(ws.send(["a", "b", "c"]))
        assert await received.get() == b"a"
        await asyncio.sleep(0.05)
        assert received.empty()
        assert not sending.done()
        ws.resume_writing()
        await sending
        assert [await received.get() for _ in range(3)] == [b"b", b"c", b""]
        ws.transport.abort()


async def test_broadcast_reports_write_failures(caplog: pytest.LogCaptureFixture) -> None:
    async with asyncio.timeout(5), run_server() as server:
        failing = await connect(get_uri(server))
        failing.transport = FailingWrites(failing.transport)  # type: ignore[assignment]
        broadcast([failing], "lost")
        await failing.wait_closed()
        assert (
            "skipped broadcast: failed to write message: "
            "RuntimeError: Cannot call write() after write_eof()" in caplog.text
        )

        failing = await connect(get_uri(server))
        failing.transport = FailingWrites(failing.transport)  # type: ignore[assignment]
        with pytest.raises(ExceptionGroup) as raised:
            broadcast([failing], "lost", raise_exceptions=True)
        assert str(raised.value) == "skipped broadcast (1 sub-exception)"
        (member,) = raised.value.exceptions
        assert isinstance(member, RuntimeError)
        assert str(member) == "failed to write message"
        assert isinstance(member.__cause__, RuntimeError)
        await failing.wait_closed()
