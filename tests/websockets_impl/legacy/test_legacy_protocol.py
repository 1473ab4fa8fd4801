"""WebSocketCommonProtocol over real connections on 127.0.0.1."""

from __future__ import annotations

import asyncio
import collections
import logging
import uuid
import warnings
from collections.abc import AsyncIterator

import pytest
from legacy_helpers import connection_pair, legacy_client, legacy_server, server_uri

from websockets_impl.exceptions import (
    ConcurrencyError,
    ConnectionClosed,
    ConnectionClosedError,
    ConnectionClosedOK,
    InvalidState,
    ProtocolError,
)
from websockets_impl.frames import CloseCode, Opcode
from websockets_impl.protocol import State

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from websockets_impl.legacy import framing as legacy_framing
    from websockets_impl.legacy import protocol as legacy_protocol
    from websockets_impl.legacy import server as legacy_server_module
    from websockets_impl.legacy.client import WebSocketClientProtocol
    from websockets_impl.legacy.protocol import WebSocketCommonProtocol, broadcast
    from websockets_impl.legacy.server import WebSocketServerProtocol


# For tests where one side stops reading: don't wait long for it.
FAST_CLOSE = {"close_timeout": 0.1}


async def wait_for(predicate: object, timeout: float = 2.0) -> None:
    """Poll ``predicate()`` until it's true."""
    async with asyncio.timeout(timeout):
        while not predicate():  # type: ignore[operator]
            await asyncio.sleep(0.005)


# Messages.


async def test_text_is_str_and_binary_is_bytes() -> None:
    async with connection_pair() as (server, client):
        await client.send("café")
        assert await server.recv() == "café"
        await client.send(b"\x00\xff")
        assert await server.recv() == b"\x00\xff"
        await client.send(bytearray(b"ba"))
        await client.send(memoryview(b"mv"))
        assert await server.recv() == b"ba"
        assert await server.recv() == b"mv"


async def test_server_to_client() -> None:
    async with connection_pair() as (server, client):
        await server.send("hello")
        assert await client.recv() == "hello"


async def test_large_message_with_compression() -> None:
    async with connection_pair() as (server, client):
        message = "spam " * 100_000
        await client.send(message)
        assert await server.recv() == message


async def test_send_iterable_sends_fragmented_message() -> None:
    async with connection_pair() as (server, client):
        await client.send(["ca", "f", "é"])
        assert await server.recv() == "café"
        await client.send([b"a", bytearray(b"b"), memoryview(b"c")])
        assert await server.recv() == b"abc"


async def test_send_async_iterable() -> None:
    async def fragments() -> AsyncIterator[str]:
        for fragment in ["a", "b", "c"]:
            await asyncio.sleep(0)
            yield fragment

    async with connection_pair() as (server, client):
        await client.send(fragments())
        assert await server.recv() == "abc"


async def test_send_empty_iterable_sends_nothing() -> None:
    async with connection_pair() as (server, client):
        await client.send([])
        await client.send("next")
        assert await server.recv() == "next"


async def test_fragmented_message_is_not_interleaved() -> None:
    release = asyncio.Event()

    async def fragments() -> AsyncIterator[str]:
        yield "first "
        await release.wait()
        yield "message"

    async with connection_pair() as (server, client):
        fragmented = asyncio.create_task(client.send(fragments()))
        await asyncio.sleep(0.01)
        other = asyncio.create_task(client.send("second"))
        await asyncio.sleep(0.01)
        assert not other.done()
        release.set()
        await asyncio.gather(fragmented, other)
        assert await server.recv() == "first message"
        assert await server.recv() == "second"


async def test_send_inconsistent_fragments_fails_connection() -> None:
    async with connection_pair() as (_server, client):
        with pytest.raises(TypeError, match="inconsistent types"):
            await client.send(["text", b"bytes"])
        await client.wait_closed()
        assert client.close_sent is not None
        assert client.close_sent.code == CloseCode.INTERNAL_ERROR


@pytest.mark.parametrize("message", [{"a": "b"}, 42, None])
async def test_send_rejects_other_types(message: object) -> None:
    async with connection_pair() as (_server, client):
        with pytest.raises(TypeError):
            await client.send(message)  # type: ignore[arg-type]
        assert client.open


async def test_recv_concurrently_raises() -> None:
    async with connection_pair() as (_server, client):
        first = asyncio.create_task(client.recv())
        await asyncio.sleep(0)
        with pytest.raises(ConcurrencyError):
            await client.recv()
        assert isinstance(ConcurrencyError(), RuntimeError)
        first.cancel()


async def test_recv_cancellation_leaves_connection_usable() -> None:
    async with connection_pair() as (server, client):
        pending = asyncio.create_task(client.recv())
        await asyncio.sleep(0)
        pending.cancel()
        with pytest.raises(asyncio.CancelledError):
            await pending
        await server.send("after")
        assert await client.recv() == "after"


async def test_async_iteration_stops_on_normal_closure() -> None:
    async with connection_pair() as (server, client):
        await server.send("a")
        await server.send("b")
        await server.close()
        assert [message async for message in client] == ["a", "b"]


async def test_async_iteration_raises_on_error_closure() -> None:
    async with connection_pair() as (server, client):
        await server.send("a")
        await server.close(CloseCode.INTERNAL_ERROR, "oops")
        received = []
        with pytest.raises(ConnectionClosedError):
            async for message in client:
                received.append(message)
        assert received == ["a"]


async def test_messages_queued_before_close_can_be_read() -> None:
    async with connection_pair() as (server, client):
        await server.send("one")
        await server.send("two")
        await server.close()
        await client.wait_closed()
        assert await client.recv() == "one"
        assert await client.recv() == "two"
        with pytest.raises(ConnectionClosedOK):
            await client.recv()


# Queue and limits.


async def test_max_queue_counts_messages() -> None:
    async with connection_pair(server_kwargs={"max_queue": 2}) as (server, client):
        assert isinstance(server.messages, collections.deque)
        for i in range(5):
            await client.send([f"fragmented {i} ", "message"])
        await wait_for(lambda: len(server.messages) == 2)
        await asyncio.sleep(0.05)
        assert len(server.messages) == 2
        assert await server.recv() == "fragmented 0 message"
        await wait_for(lambda: len(server.messages) == 2)
        assert [await server.recv() for _ in range(4)] == [
            f"fragmented {i} message" for i in range(1, 5)
        ]


async def test_max_queue_none_is_unbounded() -> None:
    async with connection_pair(server_kwargs={"max_queue": None}) as (server, client):
        for i in range(100):
            await client.send(str(i))
        await wait_for(lambda: len(server.messages) == 100)


async def test_default_limits() -> None:
    async with connection_pair() as (server, client):
        for ws in (server, client):
            assert ws.max_queue == 32
            assert ws.max_size == 2**20
            assert ws.read_limit == 2**16
            assert ws.write_limit == 2**16
            assert ws.close_timeout == 1  # set by the helpers
            low, high = ws.transport.get_write_buffer_limits()
            assert (low, high) == (2**14, 2**16)


async def test_close_timeout_none_means_ten_seconds() -> None:
    async with connection_pair(client_kwargs={"close_timeout": None}) as (_server, client):
        assert client.close_timeout == 10


async def test_max_size_closes_with_1009() -> None:
    async with connection_pair(server_kwargs={"max_size": 10}) as (server, client):
        await client.send("x" * 10)
        assert await server.recv() == "x" * 10
        await client.send("x" * 11)
        await client.wait_closed()
        assert client.close_code == CloseCode.MESSAGE_TOO_BIG
        with pytest.raises(ConnectionClosedError):
            await server.recv()


async def test_max_size_applies_to_fragmented_messages() -> None:
    async with connection_pair(server_kwargs={"max_size": 10}) as (server, client):
        await client.send(["x" * 6, "x" * 6])
        await client.wait_closed()
        assert client.close_code == CloseCode.MESSAGE_TOO_BIG
        assert server.close_sent is not None
        assert server.close_sent.code == CloseCode.MESSAGE_TOO_BIG


async def test_max_size_none_disables_the_limit() -> None:
    async with connection_pair(
        server_kwargs={"max_size": None}, client_kwargs={"compression": None}
    ) as (server, client):
        await client.send(b"x" * (2**20 + 1))
        assert len(await server.recv()) == 2**20 + 1


async def test_invalid_utf8_closes_with_1007() -> None:
    async with connection_pair() as (server, client):
        client.write_frame_sync(True, Opcode.TEXT, b"\xff")
        await client.wait_closed()
        assert client.close_code == CloseCode.INVALID_DATA
        with pytest.raises(ConnectionClosedError) as raised:
            await server.recv()
        assert isinstance(raised.value.__cause__, UnicodeDecodeError)


async def test_invalid_utf8_in_fragments_closes_with_1007() -> None:
    async with connection_pair() as (_server, client):
        client.write_frame_sync(False, Opcode.TEXT, b"ok")
        client.write_frame_sync(True, Opcode.CONT, b"\xc3\x28")
        await client.wait_closed()
        assert client.close_code == CloseCode.INVALID_DATA


async def test_protocol_error_closes_with_1002() -> None:
    async with connection_pair() as (server, client):
        # A client must mask its frames.
        client.transport.write(b"\x81\x02hi")
        await client.wait_closed()
        assert client.close_code == CloseCode.PROTOCOL_ERROR
        assert server.close_sent is not None
        assert server.close_sent.code == CloseCode.PROTOCOL_ERROR


async def test_unexpected_continuation_closes_with_1002() -> None:
    async with connection_pair(client_kwargs={"compression": None}) as (_server, client):
        client.write_frame_sync(True, Opcode.CONT, b"orphan")
        await client.wait_closed()
        assert client.close_code == CloseCode.PROTOCOL_ERROR


async def test_too_many_fragments_closes_with_1009(monkeypatch: pytest.MonkeyPatch) -> None:
    # send() ends an iterable with an empty frame: three fragments make four frames.
    monkeypatch.setattr(legacy_protocol, "MAX_FRAGMENTS", 4)
    async with connection_pair() as (server, client):
        await client.send(["a", "b", "c"])
        assert await server.recv() == "abc"
        await client.send(["a", "b", "c", "d"])
        await client.wait_closed()
        assert client.close_code == CloseCode.MESSAGE_TOO_BIG


# Closing.


async def test_close_codes_and_reasons() -> None:
    async with connection_pair() as (server, client):
        assert client.close_code is None
        assert client.close_reason is None
        await client.close(4000, "bye")
        await server.wait_closed()
        assert server.close_code == 4000
        assert server.close_reason == "bye"
        # The server echoed the close frame.
        assert client.close_code == 4000
        assert client.close_reason == "bye"
        assert client.close_sent is not None
        assert client.close_rcvd is not None
        assert client.close_rcvd_then_sent is False
        assert server.close_rcvd_then_sent is True


async def test_close_without_close_frame_gives_1006() -> None:
    async with connection_pair() as (server, client):
        server.transport.abort()
        await client.wait_closed()
        assert client.close_code == CloseCode.ABNORMAL_CLOSURE
        assert client.close_reason == ""
        with pytest.raises(ConnectionClosedError):
            await client.recv()


async def test_state_open_and_closed() -> None:
    async with connection_pair() as (_server, client):
        assert client.state is State.OPEN
        assert client.open
        assert not client.closed
        await client.close()
        assert client.state is State.CLOSED
        assert not client.open
        assert client.closed


async def test_close_is_idempotent_and_concurrent() -> None:
    async with connection_pair() as (_server, client):
        await asyncio.gather(client.close(), client.close(4001))
        await client.close()
        assert client.close_code == CloseCode.NORMAL_CLOSURE


async def test_close_with_invalid_code_raises() -> None:
    async with connection_pair() as (_server, client):
        with pytest.raises(Exception, match="invalid status code"):
            await client.close(1005)
        assert client.open


async def test_close_times_out_when_the_peer_is_stuck() -> None:
    async with connection_pair(FAST_CLOSE, FAST_CLOSE) as (server, client):
        server.transport.pause_reading()
        loop = asyncio.get_running_loop()
        start = loop.time()
        await client.close()
        assert loop.time() - start < 1
        assert client.close_code == CloseCode.ABNORMAL_CLOSURE


async def test_send_after_close_raises() -> None:
    async with connection_pair() as (_server, client):
        await client.close()
        with pytest.raises(ConnectionClosedOK):
            await client.send("late")
        with pytest.raises(ConnectionClosedOK):
            await client.ping()
        with pytest.raises(ConnectionClosedOK):
            await client.pong()


async def test_send_while_closing_waits_for_the_end() -> None:
    async with connection_pair() as (server, _client):
        await server.close()
        with pytest.raises(ConnectionClosedOK):
            await server.send("late")
        assert server.closed


async def test_wait_closed() -> None:
    async with connection_pair() as (server, client):
        waiter = asyncio.create_task(client.wait_closed())
        await asyncio.sleep(0.01)
        assert not waiter.done()
        await server.close()
        await asyncio.wait_for(waiter, 2)


async def test_fail_connection_sends_code() -> None:
    async with connection_pair() as (server, client):
        server.fail_connection(CloseCode.POLICY_VIOLATION, "go away")
        await client.wait_closed()
        assert client.close_code == CloseCode.POLICY_VIOLATION
        assert client.close_reason == "go away"


async def test_ensure_open() -> None:
    async with connection_pair() as (_server, client):
        await client.ensure_open()
        await client.close()
        with pytest.raises(ConnectionClosed):
            await client.ensure_open()


async def test_exception_carries_close_frames() -> None:
    async with connection_pair() as (server, client):
        await server.close(CloseCode.GOING_AWAY, "restart")
        with pytest.raises(ConnectionClosedOK) as raised:
            await client.recv()
        assert raised.value.rcvd is not None
        assert raised.value.rcvd.code == CloseCode.GOING_AWAY
        assert raised.value.sent is not None
        assert raised.value.rcvd_then_sent is True


async def test_tasks_and_keepalive_task_removed_after_close() -> None:
    async with connection_pair() as (_server, client):
        assert isinstance(client.transfer_data_task, asyncio.Task)
        assert isinstance(client.keepalive_ping_task, asyncio.Task)
        assert isinstance(client.close_connection_task, asyncio.Task)
        await client.close()
        assert client.transfer_data_task.done()
        assert not hasattr(client, "keepalive_ping_task")


# Pings and pongs.


async def test_ping_resolves_to_latency() -> None:
    async with connection_pair() as (_server, client):
        assert client.latency == 0
        pong_waiter = await client.ping()
        latency = await asyncio.wait_for(pong_waiter, 2)
        assert isinstance(latency, float)
        assert latency > 0
        assert client.latency == latency


async def test_ping_with_data() -> None:
    async with connection_pair() as (server, client):
        server.transport.pause_reading()
        await client.ping("same")
        with pytest.raises(ConcurrencyError, match="same data"):
            await client.ping(b"same")
        assert set(client.pings) == {b"same"}
        server.transport.resume_reading()


async def test_pong_acknowledges_earlier_pings() -> None:
    async with connection_pair() as (server, client):
        server.transport.pause_reading()
        first = await client.ping(b"1")
        second = await client.ping(b"2")
        server.transport.resume_reading()
        await asyncio.wait_for(second, 2)
        assert first.done()
        assert client.pings == {}


async def test_unanswered_pings_fail_on_close() -> None:
    async with connection_pair(FAST_CLOSE, FAST_CLOSE) as (server, client):
        server.transport.pause_reading()
        pong_waiter = await client.ping()
        await client.close()
        with pytest.raises(ConnectionClosed):
            await pong_waiter


async def test_unsolicited_pong_is_ignored() -> None:
    async with connection_pair() as (server, client):
        await client.pong("heartbeat")
        await client.send("after")
        assert await server.recv() == "after"


async def test_keepalive_measures_latency() -> None:
    async with connection_pair(client_kwargs={"ping_interval": 0.02}) as (_server, client):
        await wait_for(lambda: client.latency > 0)


async def test_keepalive_timeout_closes_with_1011() -> None:
    client_kwargs = {"ping_interval": 0.02, "ping_timeout": 0.05, "close_timeout": 0.1}
    async with connection_pair(FAST_CLOSE, client_kwargs) as (server, client):
        server.transport.pause_reading()
        await asyncio.wait_for(client.wait_closed(), 2)
        assert client.close_sent is not None
        assert client.close_sent.code == CloseCode.INTERNAL_ERROR
        assert client.close_sent.reason == "keepalive ping timeout"
        assert client.close_code == CloseCode.ABNORMAL_CLOSURE


async def test_ping_interval_none_disables_keepalive() -> None:
    async with connection_pair(client_kwargs={"ping_interval": None}) as (_server, client):
        await asyncio.sleep(0)
        assert client.keepalive_ping_task.done()


# Attributes.


async def test_attributes() -> None:
    async with connection_pair() as (server, client):
        assert isinstance(client.id, uuid.UUID)
        assert client.id != server.id
        assert isinstance(client.logger, logging.LoggerAdapter)
        assert client.logger.extra == {"websocket": client}
        assert client.is_client and client.side == "client"
        assert not server.is_client and server.side == "server"
        assert client.loop is asyncio.get_running_loop()
        assert client.local_address == server.remote_address
        assert client.remote_address == server.local_address
        assert client.path == server.path == "/"
        assert client.request_headers == server.request_headers
        assert client.response_headers == server.response_headers
        assert client.request_headers["Upgrade"] == "websocket"
        assert client.subprotocol is None
        assert [ext.name for ext in client.extensions] == ["permessage-deflate"]
        assert [ext.name for ext in server.extensions] == ["permessage-deflate"]


async def test_deprecated_host_port_secure() -> None:
    async with connection_pair() as (server, client):
        port = client.remote_address[1]
        with pytest.warns(DeprecationWarning) as record:
            assert client.host == "127.0.0.1"
            assert client.port == port
            assert client.secure is False
            assert server.host == "127.0.0.1"
            assert server.port == 0  # the port serve() was asked to listen on
        assert [str(warning.message) for warning in record] == [
            "use remote_address[0] instead of host",
            "use remote_address[1] instead of port",
            "don't use secure",
            "use local_address[0] instead of host",
            "use local_address[1] instead of port",
        ]


def test_legacy_frame_check_applies_the_frame_rules() -> None:
    Frame = legacy_framing.Frame
    Frame(True, Opcode.TEXT, b"ok").check()
    Frame(True, Opcode.PING, b"x" * 125).check()
    invalid = [
        Frame(True, Opcode.TEXT, b"", rsv1=True),
        Frame(True, Opcode.BINARY, b"", rsv3=True),
        Frame(False, Opcode.PING, b""),
        Frame(True, Opcode.PONG, b"x" * 126),
    ]
    for frame in invalid:
        with pytest.raises(ProtocolError):
            frame.check()


async def test_constructor_deprecations() -> None:
    loop = asyncio.get_running_loop()
    with pytest.warns(DeprecationWarning, match="remove loop argument"):
        protocol = WebSocketCommonProtocol(loop=loop)
    assert protocol.loop is loop
    with pytest.warns(DeprecationWarning, match="rename timeout to close_timeout"):
        protocol = WebSocketCommonProtocol(timeout=3)
    assert protocol.close_timeout == 3
    with pytest.warns(DeprecationWarning, match="legacy_recv is deprecated"):
        protocol = WebSocketCommonProtocol(legacy_recv=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        protocol = WebSocketCommonProtocol()
    assert protocol.close_timeout == 10
    assert protocol.state is State.CONNECTING
    with pytest.raises(InvalidState):
        await protocol.ensure_open()
    with pytest.raises(InvalidState):
        await protocol.recv()


async def test_legacy_recv_returns_none_after_close() -> None:
    with pytest.warns(DeprecationWarning, match="legacy_recv is deprecated"):
        async with connection_pair(client_kwargs={"legacy_recv": True}) as (server, client):
            await server.send("last")
            await server.close()
            assert await client.recv() == "last"
            assert await client.recv() is None
            assert [message async for message in client] == []


# Broadcast.


async def test_broadcast() -> None:
    async with connection_pair() as (server_a, client_a), connection_pair() as (server_b, client_b):
        closed_server, _ = server_b, client_b
        broadcast([server_a, server_b], "hello")
        broadcast([server_a, server_b], b"\x00")
        assert [await client_a.recv(), await client_a.recv()] == ["hello", b"\x00"]
        assert [await client_b.recv(), await client_b.recv()] == ["hello", b"\x00"]
        await closed_server.close()
        broadcast([server_a, closed_server], "skip closed")
        assert await client_a.recv() == "skip closed"


async def test_broadcast_skips_connection_sending_fragments(
    caplog: pytest.LogCaptureFixture,
) -> None:
    release = asyncio.Event()

    async def fragments() -> AsyncIterator[str]:
        yield "a"
        await release.wait()
        yield "b"

    async with connection_pair() as (server, client):
        sending = asyncio.create_task(server.send(fragments()))
        await asyncio.sleep(0.01)
        with caplog.at_level(logging.WARNING):
            broadcast([server], "skipped")
        assert "skipped broadcast: sending a fragmented message" in caplog.text
        with pytest.raises(ExceptionGroup) as raised:
            broadcast([server], "skipped", raise_exceptions=True)
        assert isinstance(raised.value.exceptions[0], ConcurrencyError)
        release.set()
        await sending
        assert await client.recv() == "ab"


def test_broadcast_rejects_other_types() -> None:
    with pytest.raises(TypeError):
        broadcast([], 42)  # type: ignore[arg-type]


def test_broadcast_is_shared_with_server_module() -> None:
    assert legacy_server_module.broadcast is legacy_protocol.broadcast


class ForwardingTransport:
    """Not an asyncio.Transport: forwards every attribute to the real transport."""

    def __init__(self, transport: asyncio.BaseTransport) -> None:
        self.wrapped = transport

    def __getattr__(self, name: str) -> object:
        return getattr(self.wrapped, name)


class WrappedClientProtocol(WebSocketClientProtocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(ForwardingTransport(transport))  # type: ignore[arg-type]


class WrappedServerProtocol(WebSocketServerProtocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(ForwardingTransport(transport))  # type: ignore[arg-type]


async def test_protocols_accept_any_transport_like_object() -> None:
    server_sides: list[WebSocketServerProtocol] = []

    async def handler(ws: WebSocketServerProtocol) -> None:
        server_sides.append(ws)
        async for message in ws:
            await ws.send(message)

    async with (
        asyncio.timeout(5),
        legacy_server(handler, create_protocol=WrappedServerProtocol) as server,
        legacy_client(server_uri(server), create_protocol=WrappedClientProtocol) as ws,
    ):
        assert isinstance(ws.transport, ForwardingTransport)
        await ws.send("through a wrapper")
        assert await ws.recv() == "through a wrapper"
        assert isinstance(server_sides[0].transport, ForwardingTransport)
    assert ws.close_code == 1000


async def test_writes_go_through_drain_looked_up_on_the_instance() -> None:
    async with connection_pair() as (_, client):
        drains = 0

        async def lost() -> None:
            nonlocal drains
            drains += 1
            raise ConnectionResetError("Connection lost")

        client._drain = lost  # type: ignore[method-assign]
        client.close_timeout = 0.1
        with pytest.raises(ConnectionClosed):
            async with asyncio.timeout(5):
                await client.send("goes nowhere")
        assert drains == 1
