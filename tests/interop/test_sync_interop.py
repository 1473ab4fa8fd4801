"""The threading implementation against upstream websockets 17.4's, over 127.0.0.1.

Both directions: our server with upstream's client, and upstream's server with our client;
with and without compression. Upstream is only used as a black-box peer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import websockets.exceptions as upstream_exceptions
import websockets.sync.client as upstream_client
import websockets.sync.server as upstream_server

import websockets_impl.exceptions as our_exceptions
import websockets_impl.sync.client as our_client
import websockets_impl.sync.server as our_server

pytestmark = pytest.mark.timeout(30)


@dataclass(frozen=True)
class Pair:
    name: str
    serve: Callable[..., Any]
    basic_auth: Callable[..., Any]
    connect: Callable[..., Any]
    client_exceptions: Any


PAIRS = [
    Pair(
        "our-server-upstream-client",
        our_server.serve,
        our_server.basic_auth,
        upstream_client.connect,
        upstream_exceptions,
    ),
    Pair(
        "upstream-server-our-client",
        upstream_server.serve,
        upstream_server.basic_auth,
        our_client.connect,
        our_exceptions,
    ),
]


@pytest.fixture(params=PAIRS, ids=[pair.name for pair in PAIRS])
def pair(request: pytest.FixtureRequest) -> Pair:
    return request.param  # type: ignore[no-any-return]


def running(pair: Pair, handler: Callable[[Any], None], **kwargs: Any) -> Any:
    server = pair.serve(handler, "127.0.0.1", 0, **kwargs)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread, f"ws://127.0.0.1:{server.socket.getsockname()[1]}/"


@pytest.fixture
def serving(pair: Pair) -> Iterator[Callable[..., str]]:
    started: list[Any] = []

    def start(handler: Callable[[Any], None], **kwargs: Any) -> str:
        server, thread, uri = running(pair, handler, **kwargs)
        started.append((server, thread))
        return uri

    yield start
    for server, thread in started:
        server.shutdown()
        thread.join(5)


def echo(connection: Any) -> None:
    for message in connection:
        connection.send(message)


@pytest.mark.parametrize("compression", ["deflate", None])
def test_messages_both_ways(pair: Pair, serving: Callable[..., str], compression: Any) -> None:
    uri = serving(echo, compression=compression)
    with pair.connect(uri, compression=compression) as ws:
        for message in ["text", "é" * 1000, b"\x00\x01", b"x" * 100_000]:
            ws.send(message)
            assert ws.recv() == message
        ws.send(["frag", "mented"])
        assert ws.recv() == "fragmented"
        assert ws.ping().wait(5)


def test_close_codes_reach_the_peer(pair: Pair, serving: Callable[..., str]) -> None:
    def close_going_away(connection: Any) -> None:
        connection.close(1001, "bye")

    uri = serving(close_going_away)
    with pair.connect(uri) as ws:
        with pytest.raises(pair.client_exceptions.ConnectionClosedOK):
            ws.recv()
        assert (ws.close_code, ws.close_reason) == (1001, "bye")


def test_handler_error_is_1011(pair: Pair, serving: Callable[..., str]) -> None:
    def failing(connection: Any) -> None:
        raise RuntimeError("expected by the test")

    uri = serving(failing)
    with pair.connect(uri) as ws:
        with pytest.raises(pair.client_exceptions.ConnectionClosedError):
            ws.recv()
        assert ws.close_code == 1011


def test_basic_auth_and_subprotocols(pair: Pair, serving: Callable[..., str]) -> None:
    def who(connection: Any) -> None:
        connection.send(f"{connection.username} {connection.subprotocol}")

    uri = serving(
        who,
        process_request=pair.basic_auth(credentials=("user", "pass")),
        subprotocols=["chat"],
    )
    with pytest.raises(pair.client_exceptions.InvalidStatus) as raised:
        pair.connect(uri)
    assert raised.value.response.status_code == 401
    authenticated = uri.replace("ws://", "ws://user:pass@")
    with pair.connect(authenticated, subprotocols=["chat"]) as ws:
        assert ws.recv() == "user chat"
