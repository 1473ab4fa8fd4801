"""The new asyncio implementation against upstream websockets 17.4, over 127.0.0.1.

Both directions: our server with upstream's client, and upstream's server with our client;
with and without compression. Upstream is only used as a black-box peer.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest
import websockets.asyncio.client as upstream_client
import websockets.asyncio.server as upstream_server
import websockets.exceptions as upstream_exceptions

import websockets_impl.asyncio.client as our_client
import websockets_impl.asyncio.server as our_server
import websockets_impl.exceptions as our_exceptions

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Pair:
    """A server implementation and a client implementation."""

    name: str
    serve: Callable[..., Any]
    basic_auth: Callable[..., Any]
    connect: Callable[..., Any]
    client_exceptions: Any
    server_exceptions: Any


PAIRS = [
    Pair(
        "our-server-upstream-client",
        our_server.serve,
        our_server.basic_auth,
        upstream_client.connect,
        upstream_exceptions,
        our_exceptions,
    ),
    Pair(
        "upstream-server-our-client",
        upstream_server.serve,
        upstream_server.basic_auth,
        our_client.connect,
        our_exceptions,
        upstream_exceptions,
    ),
]


@pytest.fixture(params=PAIRS, ids=[pair.name for pair in PAIRS])
def pair(request: pytest.FixtureRequest) -> Pair:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(params=[None, "deflate"], ids=["plain", "deflate"])
def compression(request: pytest.FixtureRequest) -> str | None:
    return request.param  # type: ignore[no-any-return]


def uri_of(server: Any, path: str = "/", userinfo: str = "") -> str:
    port = server.sockets[0].getsockname()[1]
    return f"ws://{userinfo}{HOST}:{port}{path}"


async def echo(ws: Any) -> None:
    async for message in ws:
        await ws.send(message)


async def test_echo_text_and_binary(pair: Pair, compression: str | None) -> None:
    async with (
        pair.serve(echo, HOST, 0, compression=compression) as server,
        pair.connect(uri_of(server), compression=compression) as ws,
    ):
        for message in ["", "hello", "é" * 1000, b"", b"\x00\xff" * 500]:
            await ws.send(message)
            assert await ws.recv() == message
        assert ws.response is not None
        negotiated = "Sec-WebSocket-Extensions" in ws.response.headers
        assert negotiated == (compression is not None)


async def test_large_messages(pair: Pair, compression: str | None) -> None:
    message = bytes(range(256)) * 8192  # 2 MiB
    async with (
        pair.serve(echo, HOST, 0, compression=compression, max_size=2**22) as server,
        pair.connect(uri_of(server), compression=compression, max_size=2**22) as ws,
    ):
        await ws.send(message)
        assert await ws.recv() == message
        await ws.send("x" * 2**21)
        assert await ws.recv() == "x" * 2**21


async def test_fragmented_messages_both_ways(pair: Pair, compression: str | None) -> None:
    async def fragments(ws: Any) -> None:
        received = [fragment async for fragment in ws.recv_streaming()]
        await ws.send(received)
        await ws.send(["ser", "ver"])

    async def chunks() -> AsyncIterator[bytes]:
        for chunk in (b"as", b"ync"):
            yield chunk

    async def echo_then_fragments(ws: Any) -> None:
        await ws.send(await ws.recv())
        await ws.send(["frag", "mented"])
        await ws.wait_closed()

    async with (
        pair.serve(fragments, HOST, 0, compression=compression) as server,
        pair.connect(uri_of(server), compression=compression) as ws,
    ):
        await ws.send(["cl", "ie", "nt"])
        # The server received three fragments and the final empty one, and echoed them.
        assert await ws.recv() == "client"
        assert await ws.recv() == "server"

    async with (
        pair.serve(echo_then_fragments, HOST, 0, compression=compression) as server,
        pair.connect(uri_of(server), compression=compression) as ws,
    ):
        await ws.send(chunks())
        assert await ws.recv() == b"async"
        assert [fragment async for fragment in ws.recv_streaming()] == ["frag", "mented", ""]


async def test_many_pipelined_messages(pair: Pair, compression: str | None) -> None:
    count = 2000
    async with (
        pair.serve(echo, HOST, 0, compression=compression) as server,
        pair.connect(uri_of(server), compression=compression) as ws,
    ):

        async def sender() -> None:
            for i in range(count):
                await ws.send(f"message {i}")

        task = asyncio.create_task(sender())
        for i in range(count):
            assert await ws.recv() == f"message {i}"
        await task


async def test_subprotocols(pair: Pair) -> None:
    async def report(ws: Any) -> None:
        await ws.send(ws.subprotocol or "none")

    async with (
        pair.serve(report, HOST, 0, subprotocols=["v1", "v2"]) as server,
        pair.connect(uri_of(server), subprotocols=["v2", "v3"]) as ws,
    ):
        assert ws.subprotocol == "v2"
        assert await ws.recv() == "v2"


async def test_basic_auth(pair: Pair) -> None:
    async def whoami(ws: Any) -> None:
        await ws.send(ws.username)

    auth = pair.basic_auth(realm="test", credentials=("user", "pass"))
    async with pair.serve(whoami, HOST, 0, process_request=auth) as server:
        async with pair.connect(uri_of(server, userinfo="user:pass@")) as ws:
            assert await ws.recv() == "user"
        with pytest.raises(pair.client_exceptions.InvalidStatus) as raised:
            await pair.connect(uri_of(server, userinfo="user:wrong@"))
        assert raised.value.response.status_code == 401
        assert "Basic" in raised.value.response.headers["WWW-Authenticate"]


async def test_ping_pong_both_ways(pair: Pair) -> None:
    async def ping_back(ws: Any) -> None:
        latency = await (await ws.ping(b"from server"))
        await ws.send(str(latency > 0))
        await ws.pong(b"unsolicited")
        await ws.wait_closed()

    async with (
        pair.serve(ping_back, HOST, 0) as server,
        pair.connect(uri_of(server)) as ws,
    ):
        assert await ws.recv() == "True"
        assert await (await ws.ping(b"from client")) > 0
        assert await (await ws.ping()) > 0


async def test_keepalive(pair: Pair) -> None:
    async def wait(ws: Any) -> None:
        await ws.wait_closed()

    async with (
        pair.serve(wait, HOST, 0, ping_interval=0.05, ping_timeout=1) as server,
        pair.connect(uri_of(server), ping_interval=0.05, ping_timeout=1) as ws,
    ):
        await asyncio.sleep(0.3)
        assert ws.latency > 0
        assert ws.state.name == "OPEN"


async def test_close_codes_from_the_server(pair: Pair) -> None:
    async def close_custom(ws: Any) -> None:
        await ws.close(4000, "custom reason")

    async def fail(ws: Any) -> None:
        raise RuntimeError("handler bug")

    async with (
        pair.serve(close_custom, HOST, 0) as server,
        pair.connect(uri_of(server)) as ws,
    ):
        with pytest.raises(pair.client_exceptions.ConnectionClosedError):
            await ws.recv()
        assert (ws.close_code, ws.close_reason) == (4000, "custom reason")

    async with pair.serve(fail, HOST, 0) as server, pair.connect(uri_of(server)) as ws:
        await ws.wait_closed()
        assert ws.close_code == 1011


async def test_close_codes_from_the_client(pair: Pair) -> None:
    codes: asyncio.Queue[tuple[int, str]] = asyncio.Queue()

    async def record(ws: Any) -> None:
        await ws.wait_closed()
        await codes.put((ws.close_code, ws.close_reason))

    async with pair.serve(record, HOST, 0) as server:
        async with pair.connect(uri_of(server)) as ws:
            await ws.close(1001, "going away")
        assert await codes.get() == (1001, "going away")
        with pytest.raises(ZeroDivisionError):
            async with pair.connect(uri_of(server)):
                1 / 0  # noqa: B018
        assert await codes.get() == (1011, "")


async def test_server_shutdown_closes_with_1001(pair: Pair) -> None:
    async def wait(ws: Any) -> None:
        await ws.wait_closed()

    async with pair.serve(wait, HOST, 0) as server:
        ws = await pair.connect(uri_of(server))
    await ws.wait_closed()
    assert ws.close_code == 1001


async def test_max_size_is_enforced_with_1009(pair: Pair, compression: str | None) -> None:
    async with (
        pair.serve(echo, HOST, 0, compression=compression, max_size=1000) as server,
        pair.connect(uri_of(server), compression=compression) as ws,
    ):
        await ws.send(b"\x00" * 999)
        assert await ws.recv() == b"\x00" * 999
        # Incompressible data, so that compression doesn't shrink it under the limit.
        await ws.send(bytes(range(256)) * 8)
        with pytest.raises(pair.client_exceptions.ConnectionClosedError):
            await ws.recv()
        assert ws.close_code == 1009


async def test_request_path_and_headers(pair: Pair) -> None:
    async def report(ws: Any) -> None:
        await ws.send(f"{ws.request.path} {ws.request.headers['X-Test']}")

    async with (
        pair.serve(report, HOST, 0) as server,
        pair.connect(uri_of(server, path="/a/b?c=d"), additional_headers={"X-Test": "t"}) as ws,
    ):
        assert await ws.recv() == "/a/b?c=d t"
