"""The threading client: arguments, timeouts, redirects, reconnection."""

from __future__ import annotations

import logging
import socket
import threading
import time

import pytest
from sync_helpers import echo, new_threads, running_server

from websockets_impl.exceptions import InvalidStatus, InvalidURI, SecurityError
from websockets_impl.http11 import Request, Response
from websockets_impl.sync.client import connect, reconnect, unix_connect
from websockets_impl.sync.server import ServerConnection

pytestmark = pytest.mark.timeout(30)


def test_argument_errors() -> None:
    with pytest.raises(InvalidURI):
        connect("http://example.com/")
    with pytest.raises(ValueError, match="missing path argument"):
        unix_connect()
    with socket.socket() as sock, pytest.raises(ValueError, match="path is incompatible with sock"):
        unix_connect("/tmp/x.sock", sock=sock)
    with pytest.raises(ValueError, match="unsupported compression: gzip"):
        connect("ws://127.0.0.1:1/", compression="gzip")
    with pytest.raises(TypeError, match="subprotocols must be a list, not a str"):
        connect("ws://127.0.0.1:1/", subprotocols="chat")  # type: ignore[arg-type]


def test_ssl_context_is_a_deprecated_alias_of_ssl() -> None:
    import ssl

    with (
        pytest.warns(DeprecationWarning, match="ssl_context was renamed to ssl"),
        pytest.raises(ValueError, match="ssl argument is incompatible with a ws:// URI"),
    ):
        connect("ws://127.0.0.1:1/", ssl_context=ssl.create_default_context())


def test_user_agent_and_additional_headers() -> None:
    seen: list[Request] = []

    def record(connection: ServerConnection, request: Request) -> None:
        seen.append(request)

    with running_server(echo, process_request=record) as (_, uri):
        with connect(uri, additional_headers={"X-A": "1"}, user_agent_header="ua/1"):
            pass
        with connect(uri, additional_headers={"User-Agent": "mine"}):
            pass
        with connect(uri, user_agent_header=None):
            pass
    assert seen[0].headers["X-A"] == "1"
    assert seen[0].headers["User-Agent"] == "ua/1"
    assert seen[1].headers.get_all("User-Agent") == ["mine"]
    assert "User-Agent" not in seen[2].headers


def test_open_timeout_bounds_a_silent_server() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    try:
        port = listener.getsockname()[1]
        start = time.monotonic()
        with pytest.raises(TimeoutError):
            connect(f"ws://127.0.0.1:{port}/", open_timeout=0.3)
        assert time.monotonic() - start < 3
    finally:
        listener.close()


def test_address_overrides_the_destination() -> None:
    with running_server(echo) as (_, uri):
        port = int(uri.rstrip("/").rsplit(":", 1)[1])
        with connect("ws://example.invalid/", address=("127.0.0.1", port)) as ws:
            ws.send("rerouted")
            assert ws.recv() == "rerouted"


def test_redirects_are_followed_and_bounded() -> None:
    with running_server(echo) as (_, target):

        def redirect(connection: ServerConnection, request: Request) -> Response:
            response = connection.respond(302, "")
            response.headers["Location"] = target
            return response

        with running_server(echo, process_request=redirect) as (_, uri), connect(uri) as ws:
            ws.send("redirected")
            assert ws.recv() == "redirected"
            assert ws.request is not None
            assert ws.request.headers["Host"] == target.removeprefix("ws://").rstrip("/")

    def loop(connection: ServerConnection, request: Request) -> Response:
        response = connection.respond(302, "")
        response.headers["Location"] = request.path
        return response

    with (
        running_server(echo, process_request=loop) as (_, uri),
        pytest.raises(SecurityError, match="more than 10 redirects"),
    ):
        connect(uri)


def test_reconnect_retries_with_backoff_then_yields(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="websockets.client")
    attempts: list[int] = []

    def flaky(connection: ServerConnection, request: Request) -> Response | None:
        attempts.append(1)
        if len(attempts) < 3:
            return connection.respond(503, "not yet\n")
        return None

    def delays():  # type: ignore[no-untyped-def]
        while True:
            yield 0.05

    with running_server(echo, process_request=flaky) as (_, uri):
        for ws in reconnect(uri, reconnect_delays=delays):
            ws.send("finally")
            assert ws.recv() == "finally"
            break
    assert len(attempts) == 3
    retries = [r.getMessage() for r in caplog.records if "reconnecting" in r.getMessage()]
    assert len(retries) == 2
    assert retries[0].startswith("connect failed; reconnecting in 0.1 seconds: ")


def test_reconnect_raises_fatal_errors_and_is_not_reentrant() -> None:
    def forbidden(connection: ServerConnection, request: Request) -> Response:
        return connection.respond(403, "no\n")

    with running_server(echo, process_request=forbidden) as (_, uri), pytest.raises(InvalidStatus):
        for _ in reconnect(uri):
            pass
    with running_server(echo) as (_, uri):
        client = reconnect(uri)
        with client as ws:
            ws.send("once")
            assert ws.recv() == "once"
            with pytest.raises(RuntimeError, match="connect\\(\\) isn't reentrant"), client:
                pass


def test_handshake_failure_leaves_no_thread() -> None:
    def forbidden(connection: ServerConnection, request: Request) -> Response:
        return connection.respond(403, "no\n")

    before = set(threading.enumerate())
    with running_server(echo, process_request=forbidden) as (_, uri):
        for _ in range(3):
            with pytest.raises(InvalidStatus):
                connect(uri)
    assert new_threads(before) == set()
