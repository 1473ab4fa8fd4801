"""The threading server: handshake hooks, authentication, shutdown, Unix sockets, TLS."""

from __future__ import annotations

import logging
import os
import socket
import ssl
import tempfile
import threading
import time

import pytest
import trustme
from sync_helpers import echo, running_server

from websockets_impl.exceptions import ConnectionClosedOK, InvalidStatus
from websockets_impl.http11 import Request, Response
from websockets_impl.sync.client import connect, unix_connect
from websockets_impl.sync.server import ServerConnection, basic_auth, broadcast, serve, unix_serve

pytestmark = pytest.mark.timeout(30)


def test_process_request_can_answer_or_let_the_handshake_go_on() -> None:
    def health(connection: ServerConnection, request: Request) -> Response | None:
        if request.path == "/health":
            return connection.respond(200, "OK\n")
        return None

    with running_server(echo, process_request=health) as (_, uri):
        with pytest.raises(InvalidStatus) as raised:
            connect(uri + "health")
        assert raised.value.response.status_code == 200
        assert raised.value.response.body == b"OK\n"
        with connect(uri + "chat") as ws:
            assert ws.request is not None and ws.request.path == "/chat"


def test_process_response_and_server_header() -> None:
    def add_header(
        connection: ServerConnection, request: Request, response: Response
    ) -> Response | None:
        response.headers["X-Extra"] = "1"
        return None

    with (
        running_server(echo, process_response=add_header, server_header="test/1") as (_, uri),
        connect(uri) as ws,
    ):
        assert ws.response is not None
        assert ws.response.headers["X-Extra"] == "1"
        assert ws.response.headers["Server"] == "test/1"
    with running_server(echo, server_header=None) as (_, uri), connect(uri) as ws:
        assert ws.response is not None and "Server" not in ws.response.headers


def test_failing_hook_answers_500_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    def broken(connection: ServerConnection, request: Request) -> None:
        raise RuntimeError("broken hook")

    caplog.set_level(logging.ERROR, logger="websockets.server")
    with (
        running_server(echo, process_request=broken) as (_, uri),
        pytest.raises(InvalidStatus) as raised,
    ):
        connect(uri)
    assert raised.value.response.status_code == 500
    assert raised.value.response.body == (
        b"Failed to open a WebSocket connection.\nSee server log for more information.\n"
    )
    assert "process_request failed" in caplog.text


def test_handler_exception_is_logged_and_closes_with_1011(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def failing(connection: ServerConnection) -> None:
        raise RuntimeError("handler bug")

    caplog.set_level(logging.ERROR, logger="websockets.server")
    with running_server(failing) as (_, uri), connect(uri) as ws:
        assert ws.wait_closed(5)
        assert ws.close_code == 1011
    assert "connection handler failed" in caplog.text


def test_basic_auth() -> None:
    auth = basic_auth(realm="test", credentials=("alice", "secret"))
    names: list[str] = []

    def who(connection: ServerConnection) -> None:
        names.append(connection.username)

    with running_server(who, process_request=auth) as (_, uri):
        host = uri.removeprefix("ws://")
        with pytest.raises(InvalidStatus) as raised:
            connect(uri)
        assert raised.value.response.status_code == 401
        assert raised.value.response.body == b"Missing credentials\n"
        assert raised.value.response.headers["WWW-Authenticate"] == (
            'Basic realm="test", charset="UTF-8"'
        )
        with pytest.raises(InvalidStatus) as raised:
            connect(f"ws://alice:wrong@{host}")
        assert raised.value.response.body == b"Invalid credentials\n"
        with pytest.raises(InvalidStatus) as raised:
            connect(uri, additional_headers={"Authorization": "Bearer token"})
        assert raised.value.response.body == b"Unsupported credentials\n"
        with connect(f"ws://alice:secret@{host}") as ws:
            ws.wait_closed(5)
    assert names == ["alice"]


def test_basic_auth_arguments() -> None:
    with pytest.raises(ValueError, match="provide either credentials or check_credentials"):
        basic_auth()
    with pytest.raises(TypeError, match="invalid credentials argument"):
        basic_auth(credentials="nope")  # type: ignore[arg-type]
    process_request = basic_auth(check_credentials=lambda user, password: password == "pw")
    assert callable(process_request)


def test_select_subprotocol_receives_the_connection() -> None:
    seen: list[object] = []

    def select(connection: ServerConnection, offered: object) -> str | None:
        seen.append((type(connection).__name__, list(offered)))  # type: ignore[call-overload]
        return "chat" if "chat" in offered else None  # type: ignore[operator]

    with (
        running_server(echo, subprotocols=["chat"], select_subprotocol=select) as (_, uri),
        connect(uri, subprotocols=["superchat", "chat"]) as ws,
    ):
        assert ws.subprotocol == "chat"
    assert seen == [("ServerConnection", ["superchat", "chat"])]


def test_shutdown_closes_connections_with_1001_and_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="websockets.server")
    connected = threading.Event()

    def wait(connection: ServerConnection) -> None:
        connected.set()
        for _ in connection:
            pass

    server = serve(wait, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    port = server.socket.getsockname()[1]
    ws = connect(f"ws://127.0.0.1:{port}/")
    assert connected.wait(5)
    assert len(server.connections) == 1
    server.shutdown()
    thread.join(5)
    assert not thread.is_alive()
    with pytest.raises(ConnectionClosedOK):
        ws.recv()
    assert ws.close_code == 1001
    messages = [record.getMessage() for record in caplog.records]
    assert f"server listening on 127.0.0.1:{port}" in messages
    assert messages[-2:] == ["server closing", "server closed"]
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1)


def test_open_timeout_closes_silent_clients() -> None:
    with running_server(echo, open_timeout=0.3) as (_, uri):
        host, port = uri.removeprefix("ws://").rstrip("/").split(":")
        with socket.create_connection((host, int(port))) as sock:
            sock.settimeout(5)
            start = time.monotonic()
            assert sock.recv(1024) == b""
            assert time.monotonic() - start < 3


def test_socket_arguments_are_checked() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    try:
        with pytest.raises(ValueError, match="host is incompatible with sock"):
            serve(echo, "127.0.0.1", sock=listener)
        with pytest.raises(ValueError, match="port is incompatible with sock"):
            serve(echo, port=1, sock=listener)
    finally:
        listener.close()
    with pytest.raises(ValueError, match="missing path argument"):
        unix_serve(echo)
    with pytest.raises(ValueError, match="unsupported compression"):
        serve(echo, "127.0.0.1", 0, compression="gzip")


def test_unix_socket_round_trip() -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "ws.sock")
        server = unix_serve(echo, path)
        thread = threading.Thread(target=server.serve_forever)
        thread.start()
        try:
            with unix_connect(path) as ws:
                ws.send("over unix")
                assert ws.recv() == "over unix"
        finally:
            server.shutdown()
            thread.join(5)


def test_tls_round_trip() -> None:
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server_context)
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    with running_server(echo, ssl=server_context) as (_, uri):
        port = uri.rstrip("/").rsplit(":", 1)[1]
        with connect(f"wss://localhost:{port}/", ssl=client_context) as ws:
            ws.send("secret")
            assert ws.recv() == "secret"
        with pytest.raises(ValueError, match="ssl argument is incompatible with a ws:// URI"):
            connect(uri, ssl=client_context)


def test_broadcast_reaches_open_connections() -> None:
    ready = threading.Barrier(3)

    def wait(connection: ServerConnection) -> None:
        ready.wait(5)
        for _ in connection:
            pass

    with running_server(wait) as (server, uri):
        first, second = connect(uri), connect(uri)
        ready.wait(5)
        broadcast(server.connections, "to all")
        assert first.recv(timeout=5) == "to all"
        assert second.recv(timeout=5) == "to all"
        with pytest.raises(TypeError, match="data must be str or bytes"):
            broadcast(server.connections, 42)  # type: ignore[arg-type]
        first.close()
        second.close()
    assert broadcast.__module__.endswith("sync.server")
