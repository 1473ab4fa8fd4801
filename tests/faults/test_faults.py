"""Peer resets during sends, receives, frames and handshakes, for both implementations.

Each fault must end in ConnectionClosed (or the handshake error) within BOUND seconds, and
a server must keep serving other clients: before, during and after the fault.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from faults_helpers import (
    BOUND,
    HOST,
    IMPLS,
    Impl,
    client_handshake,
    frame,
    listening_socket,
    open_peer,
    read_head,
    request_head,
    reset,
    response_head,
    server_handshake,
)

from websockets_impl.exceptions import (
    ConnectionClosedError,
    InvalidHandshake,
    InvalidMessage,
)


@pytest.fixture(params=IMPLS, ids=[impl.name for impl in IMPLS])
def impl(request: pytest.FixtureRequest) -> Impl:
    chosen: Impl = request.param
    return chosen


OPCODE_TEXT = 1


async def assert_echo(impl: Impl, port: int) -> None:
    """The server completes a handshake and echoes a message within the bound."""
    async with asyncio.timeout(BOUND):
        ws = await impl.connect(f"ws://{HOST}:{port}/echo")
        try:
            await ws.send("still serving")
            assert await ws.recv() == "still serving"
        finally:
            await ws.close()


def make_handler(impl: Impl, fault_handler: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Echo on /echo; run ``fault_handler`` on any other path."""

    async def handler(ws: Any) -> None:
        if impl.path(ws) == "/echo":
            async for message in ws:
                await ws.send(message)
        else:
            await fault_handler(ws)

    return handler


async def run_in_thread(function: Callable[[], None]) -> asyncio.Future[None]:
    """Start a blocking peer in a thread; the returned future ends with it."""
    return asyncio.ensure_future(asyncio.to_thread(function))


# Server side: the peer is a raw client.


async def test_server_reset_while_sending(impl: Impl) -> None:
    loop = asyncio.get_running_loop()
    flooding = asyncio.Event()
    outcome: asyncio.Future[BaseException] = loop.create_future()
    stop_reading = threading.Event()

    async def flood(ws: Any) -> None:
        sent = 0
        try:
            while True:
                await ws.send("x" * 100)
                sent += 1
                if sent == 1000:
                    flooding.set()
        except BaseException as exc:
            outcome.set_result(exc)
            raise

    def reader_then_reset(port: int) -> None:
        sock = open_peer(port)
        client_handshake(sock, "/flood")
        sock.settimeout(0.01)
        # Read as fast as the server writes, so that it never waits for its buffer; stop
        # after BOUND in any case, so that a starved event loop fails the test quickly.
        deadline = time.monotonic() + BOUND
        while not stop_reading.is_set() and time.monotonic() < deadline:
            try:
                sock.recv(1 << 20)
            except TimeoutError:
                pass
        reset(sock)

    async with impl.server(make_handler(impl, flood)) as port:
        peer = await run_in_thread(lambda: reader_then_reset(port))
        try:
            async with asyncio.timeout(BOUND):
                await flooding.wait()
            # A coroutine sending in a loop doesn't keep the server from serving others.
            await assert_echo(impl, port)
        finally:
            stop_reading.set()
        await peer
        async with asyncio.timeout(BOUND):
            exc = await outcome
        assert isinstance(exc, ConnectionClosedError), exc
        assert exc.rcvd is None
        assert exc.sent is None
        await assert_echo(impl, port)


async def test_server_reset_while_receiving(impl: Impl) -> None:
    outcome: asyncio.Future[BaseException] = asyncio.get_running_loop().create_future()

    async def receive(ws: Any) -> None:
        try:
            await ws.recv()
        except BaseException as exc:
            outcome.set_result(exc)
            raise

    def handshake_then_reset(port: int) -> None:
        sock = open_peer(port)
        client_handshake(sock, "/recv")
        reset(sock)

    async with impl.server(make_handler(impl, receive)) as port:
        await (await run_in_thread(lambda: handshake_then_reset(port)))
        async with asyncio.timeout(BOUND):
            exc = await outcome
        assert isinstance(exc, ConnectionClosedError), exc
        assert exc.rcvd is None
        await assert_echo(impl, port)


async def test_server_reset_mid_frame(impl: Impl) -> None:
    outcome: asyncio.Future[BaseException] = asyncio.get_running_loop().create_future()

    async def receive(ws: Any) -> None:
        try:
            while True:
                await ws.recv()
        except BaseException as exc:
            outcome.set_result(exc)
            raise

    def half_a_frame_then_reset(port: int) -> None:
        sock = open_peer(port)
        client_handshake(sock, "/recv")
        whole = frame(OPCODE_TEXT, b"a" * 10_000, masked=True)
        sock.sendall(whole[:5000])
        reset(sock)

    async with impl.server(make_handler(impl, receive)) as port:
        await (await run_in_thread(lambda: half_a_frame_then_reset(port)))
        async with asyncio.timeout(BOUND):
            exc = await outcome
        assert isinstance(exc, ConnectionClosedError), exc
        await assert_echo(impl, port)


async def test_server_reset_mid_handshake(impl: Impl) -> None:
    handled: list[Any] = []

    async def never(ws: Any) -> None:
        handled.append(ws)

    def half_a_request_then_reset(port: int) -> None:
        sock = open_peer(port)
        request = request_head("/never")
        sock.sendall(request[: len(request) // 2])
        reset(sock)

    async with impl.server(make_handler(impl, never)) as port:
        await (await run_in_thread(lambda: half_a_request_then_reset(port)))
        await assert_echo(impl, port)
    assert handled == []


# Client side: the peer is a raw server.


async def test_client_reset_while_sending(impl: Impl) -> None:
    listener = listening_socket()
    port = listener.getsockname()[1]
    received_enough = threading.Event()

    def read_then_reset() -> None:
        sock, _ = listener.accept()
        sock.settimeout(BOUND)
        server_handshake(sock)
        total = 0
        while total < 1_000_000:
            total += len(sock.recv(1 << 20))
        received_enough.set()
        reset(sock)

    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0)
            ticks += 1

    with listener:
        peer = await run_in_thread(read_then_reset)
        ws = await impl.connect(f"ws://{HOST}:{port}/")
        ticking = asyncio.create_task(ticker())
        try:
            with pytest.raises(ConnectionClosedError) as raised:
                async with asyncio.timeout(BOUND):
                    while True:
                        await ws.send("x" * 100)
        finally:
            ticking.cancel()
        assert received_enough.is_set()
        # The event loop kept running other tasks while the client was sending.
        assert ticks > 10
        assert raised.value.rcvd is None
        await peer
        await ws.close()


async def test_client_reset_while_receiving(impl: Impl) -> None:
    listener = listening_socket()
    port = listener.getsockname()[1]

    def handshake_then_reset() -> None:
        sock, _ = listener.accept()
        sock.settimeout(BOUND)
        server_handshake(sock)
        # Wait for the client's message, so that it's receiving when the reset comes.
        sock.recv(65536)
        reset(sock)

    with listener:
        peer = await run_in_thread(handshake_then_reset)
        ws = await impl.connect(f"ws://{HOST}:{port}/")
        await ws.send("waiting")
        with pytest.raises(ConnectionClosedError) as raised:
            async with asyncio.timeout(BOUND):
                await ws.recv()
        assert raised.value.rcvd is None
        await peer
        await ws.close()


async def test_client_reset_mid_frame(impl: Impl) -> None:
    listener = listening_socket()
    port = listener.getsockname()[1]

    def half_a_frame_then_reset() -> None:
        sock, _ = listener.accept()
        sock.settimeout(BOUND)
        server_handshake(sock)
        whole = frame(OPCODE_TEXT, b"a" * 10_000, masked=False)
        sock.sendall(whole[:5000])
        reset(sock)

    with listener:
        peer = await run_in_thread(half_a_frame_then_reset)
        ws = await impl.connect(f"ws://{HOST}:{port}/")
        with pytest.raises(ConnectionClosedError):
            async with asyncio.timeout(BOUND):
                await ws.recv()
        await peer
        await ws.close()


async def test_client_reset_mid_handshake(impl: Impl) -> None:
    listener = listening_socket()
    port = listener.getsockname()[1]

    def half_a_response_then_reset() -> None:
        sock, _ = listener.accept()
        sock.settimeout(BOUND)
        response = response_head(read_head(sock))
        sock.sendall(response[: len(response) // 2])
        reset(sock)

    with listener:
        peer = await run_in_thread(half_a_response_then_reset)
        # The documented handshake error: the response never arrived whole.
        with pytest.raises(InvalidMessage) as raised:
            async with asyncio.timeout(BOUND):
                await impl.connect(f"ws://{HOST}:{port}/")
        assert isinstance(raised.value, InvalidHandshake)
        await peer


def test_reset_sends_an_rst() -> None:
    """The helper really resets: the other end sees ECONNRESET, not an end of stream."""
    listener = listening_socket()
    with listener:
        client = socket.create_connection(listener.getsockname(), timeout=BOUND)
        server, _ = listener.accept()
        reset(client)
        server.settimeout(BOUND)
        with server, pytest.raises(ConnectionResetError):
            server.recv(1)
