"""The threading connection: messages, fragments, pings, closing, limits, over 127.0.0.1."""

from __future__ import annotations

import threading
import time

import pytest
from sync_helpers import echo, new_threads, running_server, silent_server

from websockets_impl.exceptions import (
    ConcurrencyError,
    ConnectionClosed,
    ConnectionClosedError,
    ConnectionClosedOK,
)
from websockets_impl.protocol import State
from websockets_impl.sync.client import connect
from websockets_impl.sync.server import ServerConnection

pytestmark = pytest.mark.timeout(30)


def test_echo_text_binary_and_forced_types() -> None:
    with running_server(echo) as (_, uri), connect(uri) as ws:
        ws.send("héllo")
        assert ws.recv() == "héllo"
        ws.send(b"\x00\xff")
        assert ws.recv() == b"\x00\xff"
        ws.send("as binary", text=False)
        assert ws.recv() == b"as binary"
        ws.send(b"as text", text=True)
        assert ws.recv() == "as text"
        ws.send("decoded on demand")
        assert ws.recv(decode=False) == b"decoded on demand"


def test_fragmented_send_and_streaming_receive() -> None:
    def report_fragments(connection: ServerConnection) -> None:
        while True:
            connection.send(repr(list(connection.recv_streaming())))
            connection.send([b"x", b"y"])

    with running_server(report_fragments) as (_, uri), connect(uri) as ws:
        # A fragmented message ends with an empty final frame.
        ws.send(["frag", "ment", "ed"])
        assert ws.recv() == "['frag', 'ment', 'ed', '']"
        assert list(ws.recv_streaming()) == [b"x", b"y", b""]
        ws.send([b"a", bytearray(b"b"), memoryview(b"c")])
        assert ws.recv() == "[b'a', b'b', b'c', b'']"
        assert ws.recv() == b"xy"
        ws.send([])  # an empty iterable sends nothing
        ws.send("after")
        assert ws.recv() == "['after']"


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ({"a": 1}, "data is a dict-like object"),
        (42, "data must be str, bytes, or iterable"),
        ([1, 2], "iterable must contain bytes or str"),
    ],
)
def test_send_rejects_unsupported_types(message: object, error: str) -> None:
    with running_server(echo) as (_, uri), connect(uri) as ws:
        with pytest.raises(TypeError, match=error):
            ws.send(message)  # type: ignore[arg-type]
        ws.send("still open")
        assert ws.recv() == "still open"


def test_mixed_fragment_types_fail_the_connection_with_1011() -> None:
    with running_server(echo) as (_, uri), connect(uri) as ws:
        with pytest.raises(TypeError, match="iterable must contain uniform types"):
            ws.send(["text", b"bytes"])
        with pytest.raises(ConnectionClosedError) as raised:
            ws.recv()
        assert raised.value.sent is not None
        assert raised.value.sent.code == 1011
        assert raised.value.sent.reason == "error in fragmented message"


def test_recv_timeout_then_message() -> None:
    def late(connection: ServerConnection) -> None:
        time.sleep(0.3)
        connection.send("late")
        connection.recv()

    with running_server(late) as (_, uri), connect(uri) as ws:
        with pytest.raises(TimeoutError):
            ws.recv(timeout=0.05)
        assert ws.recv(timeout=5) == "late"


def test_concurrent_recv_raises_concurrency_error() -> None:
    with running_server(echo) as (_, uri), connect(uri) as ws:
        thread = threading.Thread(target=lambda: ws.recv(timeout=1), daemon=True)
        thread.start()
        time.sleep(0.1)
        with pytest.raises(ConcurrencyError, match="cannot call recv while another thread"):
            ws.recv(timeout=0)
        ws.send("unblock")
        thread.join(2)


def test_messages_received_before_close_remain_readable() -> None:
    def send_then_close(connection: ServerConnection) -> None:
        connection.send("one")
        connection.send("two")

    with running_server(send_then_close) as (_, uri), connect(uri) as ws:
        assert ws.wait_closed(5)
        assert ws.recv() == "one"
        assert ws.recv() == "two"
        with pytest.raises(ConnectionClosedOK):
            ws.recv()
        assert (ws.state, ws.close_code, ws.close_reason) == (State.CLOSED, 1000, "")


def test_iteration_stops_on_normal_close_and_raises_on_error() -> None:
    def two_messages(connection: ServerConnection) -> None:
        connection.send("a")
        connection.send("b")

    def failing(connection: ServerConnection) -> None:
        connection.send("a")
        raise RuntimeError("boom")

    with running_server(two_messages) as (_, uri), connect(uri) as ws:
        assert list(ws) == ["a", "b"]
    with running_server(failing) as (_, uri), connect(uri) as ws:
        received = []
        with pytest.raises(ConnectionClosedError) as raised:
            for message in ws:
                received.append(message)
        assert received == ["a"]
        assert raised.value.rcvd is not None and raised.value.rcvd.code == 1011


def test_ping_pong_and_latency() -> None:
    with running_server(echo) as (_, uri), connect(uri) as ws:
        first = ws.ping(b"first")
        second = ws.ping("second")
        assert second.wait(5) and first.wait(5)
        assert ws.latency > 0
        ws.pong(b"unsolicited")
        with pytest.raises(TypeError, match="data must be str or bytes-like"):
            ws.ping(42)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            ws.pong(42)  # type: ignore[arg-type]


def test_duplicate_ping_data_raises() -> None:
    with silent_server() as uri, connect(uri, ping_interval=None, close_timeout=0.2) as ws:
        ws.ping(b"same")
        with pytest.raises(ConcurrencyError, match="already waiting for a pong with the same data"):
            ws.ping(b"same")


def test_pending_pings_are_set_on_close_only_with_ack_on_close() -> None:
    with silent_server() as uri:
        ws = connect(uri, ping_interval=None, close_timeout=0.2)
        acked = ws.ping(b"acked", ack_on_close=True)
        unacked = ws.ping(b"unacked")
        ws.close()
        assert acked.is_set()
        assert not unacked.is_set()


def test_keepalive_fails_the_connection_when_no_pong_comes() -> None:
    with silent_server() as uri:
        ws = connect(uri, ping_interval=0.1, ping_timeout=0.2, close_timeout=0.2)
        start = time.monotonic()
        with pytest.raises(ConnectionClosedError) as raised:
            ws.recv(timeout=5)
        assert time.monotonic() - start < 3
        assert raised.value.sent is not None
        assert (raised.value.sent.code, raised.value.sent.reason) == (
            1011,
            "keepalive ping timeout",
        )


def test_close_is_bounded_by_close_timeout_and_idempotent() -> None:
    with silent_server() as uri:
        ws = connect(uri, ping_interval=None, close_timeout=0.3)
        start = time.monotonic()
        ws.close()
        assert time.monotonic() - start < 2
        assert ws.state is State.CLOSED
        ws.close()
        with pytest.raises(ConnectionClosed):
            ws.send("closed")


def test_max_size_closes_with_1009() -> None:
    with running_server(echo, max_size=1000) as (_, uri), connect(uri) as ws:
        ws.send("x" * 2000)
        with pytest.raises(ConnectionClosedError) as raised:
            ws.recv()
        assert raised.value.rcvd is not None and raised.value.rcvd.code == 1009


def test_invalid_utf8_fails_with_1007() -> None:
    def bad_text(connection: ServerConnection) -> None:
        connection.send(b"\xff\xfe", text=True)
        connection.recv()

    with running_server(bad_text) as (_, uri), connect(uri) as ws:
        with pytest.raises(ConnectionClosedError) as raised:
            ws.recv()
        assert raised.value.sent is not None and raised.value.sent.code == 1007
        assert "at position 0" in raised.value.sent.reason


def test_flow_control_pauses_reading_without_losing_messages() -> None:
    count = 200

    def flood(connection: ServerConnection) -> None:
        for index in range(count):
            connection.send(str(index))
        connection.recv()

    with running_server(flood) as (_, uri), connect(uri, max_queue=4) as ws:
        time.sleep(0.3)  # let the queue fill up and reading pause
        assert [ws.recv() for _ in range(count)] == [str(i) for i in range(count)]


def test_no_thread_left_after_close() -> None:
    before = set(threading.enumerate())
    with running_server(echo) as (_, uri):
        for _ in range(5):
            with connect(uri) as ws:
                ws.send("x")
                ws.recv()
    assert new_threads(before) == set()


def test_addresses_and_context_manager_close_code() -> None:
    codes: list[int | None] = []

    def record(connection: ServerConnection) -> None:
        try:
            connection.recv()
        except ConnectionClosed:
            pass
        connection.wait_closed(5)
        codes.append(connection.close_code)

    def wait_for(count: int) -> None:
        # Each handler runs in its own thread: wait for the first to record its
        # code before the second connects, so the order is the clients' order.
        deadline = time.monotonic() + 5
        while len(codes) < count and time.monotonic() < deadline:
            time.sleep(0.05)

    with running_server(record) as (_, uri):
        with connect(uri) as ws:
            assert ws.local_address[0] == "127.0.0.1"
            assert ws.remote_address[1] == int(uri.rsplit(":", 1)[1].rstrip("/"))
        wait_for(1)
        with pytest.raises(ValueError, match="inside"), connect(uri):
            raise ValueError("inside")
        wait_for(2)
    assert codes == [1000, 1011]
