"""serve(): handlers, handshake hooks, Server lifecycle, broadcast, basic_auth."""

from __future__ import annotations

import asyncio
import base64
import hmac
import logging
import re
import uuid
from typing import Any

import pytest
from asyncio_helpers import HOST, RawClient, echo, get_port, get_uri, run_server

import websockets_impl.asyncio.auth
from websockets_impl.asyncio.client import connect
from websockets_impl.asyncio.server import (
    Server,
    ServerConnection,
    basic_auth,
    broadcast,
    serve,
)
from websockets_impl.exceptions import (
    ConcurrencyError,
    ConnectionClosedError,
    ConnectionClosedOK,
    InvalidStatus,
)
from websockets_impl.http11 import Request, Response
from websockets_impl.protocol import State
from websockets_impl.server import ServerProtocol


async def test_handler_returning_closes_with_1000() -> None:
    async def handler(ws: ServerConnection) -> None:
        await ws.send("bye")

    async with run_server(handler) as server, connect(get_uri(server)) as ws:
        assert await ws.recv() == "bye"
        with pytest.raises(ConnectionClosedOK):
            await ws.recv()
        assert ws.close_code == 1000


async def test_handler_raising_closes_with_1011_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    async def handler(ws: ServerConnection) -> None:
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR):
        async with run_server(handler) as server, connect(get_uri(server)) as ws:
            with pytest.raises(ConnectionClosedError):
                await ws.recv()
            assert ws.close_code == 1011
    (record,) = [r for r in caplog.records if r.getMessage() == "connection handler failed"]
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)
    # Log records carry the connection.
    assert isinstance(record.websocket.id, uuid.UUID)


async def test_handler_with_two_arguments_fails_with_1011() -> None:
    async def old_style(ws: ServerConnection, path: str) -> None:
        pass

    async with run_server(old_style) as server, connect(get_uri(server)) as ws:  # type: ignore[arg-type]
        await ws.wait_closed()
        assert ws.close_code == 1011


async def test_process_request_may_answer_with_a_response() -> None:
    def health(ws: ServerConnection, request: Request) -> Response | None:
        if request.path == "/health":
            return ws.respond(200, "OK\n")
        return None

    async with run_server(process_request=health) as server:
        with pytest.raises(InvalidStatus) as raised:
            await connect(get_uri(server, path="/health"))
        response = raised.value.response
        assert (response.status_code, response.body) == (200, b"OK\n")
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        async with connect(get_uri(server)) as ws:
            await ws.send("ws")
            assert await ws.recv() == "ws"


async def test_async_process_request_sees_the_connection_and_request() -> None:
    seen: list[Any] = []

    async def process_request(ws: ServerConnection, request: Request) -> None:
        await asyncio.sleep(0)
        seen.append((ws.state, request.path, request.headers["X-Token"]))

    async with (
        run_server(process_request=process_request) as server,
        connect(get_uri(server, path="/p"), additional_headers={"X-Token": "t"}),
    ):
        pass
    assert seen == [(State.CONNECTING, "/p", "t")]


@pytest.mark.parametrize("hook", ["process_request", "process_response"])
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_hook_raising_gives_500(
    hook: str, is_async: bool, caplog: pytest.LogCaptureFixture
) -> None:
    bug = ValueError("bug")
    connections: list[ServerConnection] = []

    def broken(ws: ServerConnection, *args: Any) -> None:
        connections.append(ws)
        raise bug

    async def async_broken(ws: ServerConnection, *args: Any) -> None:
        broken(ws)

    with caplog.at_level(logging.ERROR):
        async with run_server(**{hook: async_broken if is_async else broken}) as server:
            with pytest.raises(InvalidStatus) as raised:
                await connect(get_uri(server))
    [ws] = connections
    assert ws.protocol.handshake_exc is bug
    assert str(raised.value) == "server rejected WebSocket connection: HTTP 500"
    assert raised.value.response.body == (
        b"Failed to open a WebSocket connection.\nSee server log for more information.\n"
    )
    [record] = [r for r in caplog.records if r.getMessage() == f"{hook} failed"]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and record.exc_info[1] is bug


async def test_process_response_may_modify_or_replace_the_response() -> None:
    def add_header(ws: ServerConnection, request: Request, response: Response) -> None:
        response.headers["X-Extra"] = "1"

    async def replace(ws: ServerConnection, request: Request, response: Response) -> Response:
        return ws.respond(418, "teapot\n")

    async with (
        run_server(process_response=add_header) as server,
        connect(get_uri(server)) as ws,
    ):
        assert ws.response is not None
        assert ws.response.headers["X-Extra"] == "1"
    async with run_server(process_response=replace) as server:
        with pytest.raises(InvalidStatus) as raised:
            await connect(get_uri(server))
        assert raised.value.response.status_code == 418


async def test_server_header() -> None:
    async with run_server() as server, connect(get_uri(server)) as ws:
        assert ws.response is not None
        assert ws.response.headers["Server"].startswith("Python/")
    async with run_server(server_header="MyServer/1") as server, connect(get_uri(server)) as ws:
        assert ws.response is not None
        assert ws.response.headers["Server"] == "MyServer/1"
    async with run_server(server_header=None) as server, connect(get_uri(server)) as ws:
        assert ws.response is not None
        assert "Server" not in ws.response.headers


async def test_select_subprotocol_receives_the_connection() -> None:
    def select(ws: ServerConnection, subprotocols: Any) -> Any:
        assert isinstance(ws, ServerConnection)
        return "second" if "second" in subprotocols else None

    async with (
        run_server(subprotocols=["first", "second"], select_subprotocol=select) as server,
        connect(get_uri(server), subprotocols=["first", "second"]) as ws,  # type: ignore[list-item]
    ):
        assert ws.subprotocol == "second"


async def test_origins() -> None:
    origins = ["https://good.example", re.compile(r"https://[a-z]+\.trusted\.example"), None]
    async with run_server(origins=origins) as server:
        for origin in ("https://good.example", "https://app.trusted.example", None):
            async with connect(get_uri(server), origin=origin) as ws:  # type: ignore[arg-type]
                await ws.send("in")
                assert await ws.recv() == "in"
        with pytest.raises(InvalidStatus) as raised:
            await connect(get_uri(server), origin="https://evil.example")  # type: ignore[arg-type]
        assert raised.value.response.status_code == 403


async def test_max_size_tuple_limits_fragments() -> None:
    async with (
        run_server(max_size=(1000, 100)) as server,
        connect(get_uri(server)) as ws,
    ):
        await ws.send([b"a" * 100, b"b" * 100])
        assert await ws.recv() == b"a" * 100 + b"b" * 100
        await ws.send([b"c" * 101])
        with pytest.raises(ConnectionClosedError):
            await ws.recv()
        assert ws.close_code == 1009


# Server lifecycle


async def test_await_serve_and_serve_forever_cancellation_closes_with_1001() -> None:
    server = await serve(echo, HOST, 0)
    assert isinstance(server, Server)
    assert server.is_serving()
    assert server.get_loop() is asyncio.get_running_loop()
    assert isinstance(server.server, asyncio.Server)
    forever = asyncio.create_task(server.serve_forever())
    ws = await connect(get_uri(server))
    forever.cancel()
    with pytest.raises(asyncio.CancelledError):
        await forever
    await ws.wait_closed()
    assert ws.close_code == 1001
    assert not server.is_serving()


async def test_close_with_custom_code_and_reason() -> None:
    async with run_server() as server:
        ws = await connect(get_uri(server))
        server.close(code=1012, reason="restarting")
        await server.wait_closed()
        await ws.wait_closed()
        assert (ws.close_code, ws.close_reason) == (1012, "restarting")


async def test_close_without_closing_connections_waits_for_handlers() -> None:
    release = asyncio.Event()

    async def handler(ws: ServerConnection) -> None:
        await release.wait()
        await ws.send("still here")

    async with run_server(handler) as server:
        ws = await connect(get_uri(server))
        server.close(close_connections=False)
        closing = asyncio.create_task(server.wait_closed())
        await asyncio.sleep(0.05)
        assert not closing.done()
        release.set()
        assert await ws.recv() == "still here"
        await closing
        await ws.wait_closed()
        assert ws.close_code == 1000


async def test_connections_property() -> None:
    ready = asyncio.Event()

    async def handler(ws: ServerConnection) -> None:
        ready.set()
        await ws.wait_closed()

    async with run_server(handler) as server:
        assert server.connections == set()
        async with connect(get_uri(server)):
            await ready.wait()
            (connection,) = server.connections
            assert isinstance(connection, ServerConnection)
            assert connection.server is server
        await asyncio.sleep(0.05)
        assert server.connections == set()


async def test_start_serving_later() -> None:
    server = await serve(echo, HOST, 0, start_serving=False)
    assert not server.is_serving()
    await server.start_serving()
    assert server.is_serving()
    async with connect(get_uri(server)) as ws:
        await ws.send("x")
        assert await ws.recv() == "x"
    assert server.sockets
    server.close()
    await server.wait_closed()


async def test_awaiting_a_server_starts_it() -> None:
    server = await serve(echo, HOST, 0, start_serving=False)
    assert await server is server
    assert server.is_serving()
    server.close()
    await server.wait_closed()


async def test_pending_handshake_is_dropped_on_close() -> None:
    async with run_server() as server:
        client = await RawClient.connect(get_port(server), handshake=False)
        await asyncio.sleep(0.01)
    assert await client.at_eof(timeout=1)
    client.close()


async def test_respond_sets_a_text_body() -> None:
    def teapot(ws: ServerConnection, request: Request) -> Response:
        response = ws.respond(418, "I'm a teapot\n")
        assert isinstance(response, Response)
        return response

    async with run_server(process_request=teapot) as server:
        with pytest.raises(InvalidStatus) as raised:
            await connect(get_uri(server))
        assert raised.value.response.body == b"I'm a teapot\n"


# broadcast


@pytest.mark.parametrize("compression", ["deflate", None])
async def test_broadcast_sends_to_every_open_connection(compression: str | None) -> None:
    ready: asyncio.Queue[None] = asyncio.Queue()

    async def handler(ws: ServerConnection) -> None:
        await ready.put(None)
        await ws.wait_closed()

    async with run_server(handler, compression=compression) as server:
        clients = [await connect(get_uri(server)) for _ in range(3)]
        for _ in clients:
            await ready.get()
        broadcast(server.connections, "to all")
        broadcast(server.connections, b"bytes")
        broadcast(server.connections, "as bytes", text=False)
        broadcast(server.connections, b"as text", text=True)
        for ws in clients:
            assert await ws.recv() == "to all"
            assert await ws.recv() == b"bytes"
            assert await ws.recv() == b"as bytes"
            assert await ws.recv() == "as text"
            await ws.close()


async def test_broadcast_skips_closed_connections_silently() -> None:
    connections: list[ServerConnection] = []

    async def handler(ws: ServerConnection) -> None:
        connections.append(ws)
        await ws.wait_closed()

    async with run_server(handler) as server:
        async with connect(get_uri(server)):
            pass
        await asyncio.sleep(0.05)
        broadcast(connections, "nobody", raise_exceptions=True)


async def test_broadcast_skips_slow_connections() -> None:
    connections: list[ServerConnection] = []

    async def handler(ws: ServerConnection) -> None:
        connections.append(ws)
        await ws.wait_closed()

    async with run_server(handler, write_limit=1000, compression=None) as server:
        ws = await connect(get_uri(server), max_queue=1, compression=None)
        while not connections:
            await asyncio.sleep(0.01)
        # The client doesn't read: the server's write buffer fills up eventually.
        for _ in range(200):
            broadcast(connections, b"x" * 100_000)
            await asyncio.sleep(0)
        with pytest.raises(ExceptionGroup) as raised:
            broadcast(connections, b"skipped", raise_exceptions=True)
        (exc,) = raised.value.exceptions
        assert isinstance(exc, ConcurrencyError)
        ws.transport.abort()


async def test_broadcast_skips_connections_sending_fragments(
    caplog: pytest.LogCaptureFixture,
) -> None:
    release = asyncio.Event()

    async def fragments() -> Any:
        yield "a"
        await release.wait()
        yield "b"

    async def handler(ws: ServerConnection) -> None:
        sending = asyncio.create_task(ws.send(fragments()))
        await asyncio.sleep(0.01)
        with caplog.at_level(logging.WARNING):
            broadcast([ws], "skipped")
        with pytest.raises(ExceptionGroup):
            broadcast([ws], "skipped", raise_exceptions=True)
        release.set()
        await sending

    async with run_server(handler) as server, connect(get_uri(server)) as ws:
        assert await ws.recv() == "ab"
    assert "skipped broadcast" in caplog.text


async def test_broadcast_rejects_other_types() -> None:
    with pytest.raises(TypeError):
        broadcast([], 42)  # type: ignore[arg-type]


def test_broadcast_is_documented_in_the_server_module() -> None:
    assert broadcast.__module__ == "websockets_impl.asyncio.server"


# basic_auth


def authorization(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


async def whoami(ws: ServerConnection) -> None:
    await ws.send(ws.username)


@pytest.mark.parametrize(
    "options",
    [
        {"credentials": ("alice", "secret")},
        {"credentials": [("alice", "secret"), ("bob", "other")]},
        {"check_credentials": lambda u, p: (u, p) == ("alice", "secret")},
    ],
    ids=["pair", "pairs", "function"],
)
async def test_basic_auth_accepts_valid_credentials(options: dict[str, Any]) -> None:
    async with (
        run_server(whoami, process_request=basic_auth(**options)) as server,
        connect(get_uri(server), additional_headers=authorization("alice", "secret")) as ws,
    ):
        assert await ws.recv() == "alice"


async def test_basic_auth_with_async_check_credentials() -> None:
    async def check(username: str, password: str) -> bool:
        await asyncio.sleep(0)
        return password == "pw"

    async with run_server(whoami, process_request=basic_auth(check_credentials=check)) as server:
        async with connect(get_uri(server), additional_headers=authorization("z", "pw")) as ws:
            assert await ws.recv() == "z"
        with pytest.raises(InvalidStatus):
            await connect(get_uri(server), additional_headers=authorization("z", "no"))


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({}, b"Missing credentials\n"),
        ({"Authorization": "Bearer xyz"}, b"Unsupported credentials\n"),
        ({"Authorization": "Basic !!!"}, b"Unsupported credentials\n"),
        (authorization("alice", "wrong"), b"Invalid credentials\n"),
        (authorization("mallory", "secret"), b"Invalid credentials\n"),
    ],
    ids=["missing", "scheme", "garbage", "password", "user"],
)
async def test_basic_auth_rejects_with_401(headers: dict[str, str], body: bytes) -> None:
    auth = basic_auth(realm="my realm", credentials=("alice", "secret"))
    async with run_server(whoami, process_request=auth) as server:
        with pytest.raises(InvalidStatus) as raised:
            await connect(get_uri(server), additional_headers=headers)
    response = raised.value.response
    assert response.status_code == 401
    assert response.body == body
    assert response.headers["WWW-Authenticate"] == 'Basic realm="my realm", charset="UTF-8"'


async def test_basic_auth_compares_passwords_in_constant_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[bytes, bytes]] = []
    original = hmac.compare_digest

    def compare_digest(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return original(a, b)

    monkeypatch.setattr(websockets_impl.asyncio.auth.hmac, "compare_digest", compare_digest)
    auth = basic_auth(credentials=("alice", "secret"))
    async with run_server(whoami, process_request=auth) as server:
        async with connect(get_uri(server), additional_headers=authorization("alice", "secret")):
            pass
        with pytest.raises(InvalidStatus):
            await connect(get_uri(server), additional_headers=authorization("eve", "guess"))
    assert calls == [(b"secret", b"secret"), (b"", b"guess")]


@pytest.mark.parametrize(
    ("options", "exc_type"),
    [
        ({}, ValueError),
        ({"credentials": ("a", "b"), "check_credentials": lambda u, p: True}, ValueError),
        ({"credentials": "alice:secret"}, TypeError),
        ({"credentials": [("a", "b", "c")]}, TypeError),
        ({"credentials": [("a", 1)]}, TypeError),
        ({"credentials": 42}, TypeError),
    ],
    ids=["none", "both", "string", "triple", "not-str", "not-iterable"],
)
def test_basic_auth_rejects_bad_arguments(
    options: dict[str, Any], exc_type: type[Exception]
) -> None:
    # Missing or conflicting arguments are a ValueError; malformed credentials a TypeError.
    with pytest.raises(exc_type):
        basic_auth(**options)


@pytest.mark.parametrize(
    ("subprotocols", "exc_type", "message"),
    [
        ("chat", TypeError, "subprotocols must be a list, not a str"),
        ({"chat": 1}, TypeError, "subprotocols must be a list"),
        (["bad token"], ValueError, "invalid subprotocol: bad token"),
    ],
)
def test_serve_and_connect_validate_subprotocols_when_called(
    subprotocols: Any, exc_type: type[Exception], message: str
) -> None:
    with pytest.raises(exc_type) as raised:
        serve(echo, HOST, 0, subprotocols=subprotocols)
    assert str(raised.value) == message
    with pytest.raises(exc_type) as raised:
        connect(f"ws://{HOST}:1/", subprotocols=subprotocols)
    assert str(raised.value) == message


def debug_records(caplog: pytest.LogCaptureFixture, message: str) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.name == "websockets.server" and r.getMessage() == message
    ]


async def test_junk_request_is_logged_and_gets_no_response(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="websockets.server"):
        async with run_server() as server:
            client = await RawClient.connect(get_port(server), handshake=False)
            client.writer.write(b"HELO relay.invalid\r\n")
            assert await asyncio.wait_for(client.reader.read(), timeout=5) == b""
            client.close()
    [record] = debug_records(caplog, "! no valid HTTP request")
    assert record.exc_info is not None
    assert str(record.exc_info[1]) == "invalid HTTP request line: HELO relay.invalid"


async def test_open_timeout_before_the_request_reads_as_eof(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="websockets.server"):
        async with run_server(open_timeout=0.05) as server:
            client = await RawClient.connect(get_port(server), handshake=False)
            assert await asyncio.wait_for(client.reader.read(), timeout=5) == b""
            client.close()
    [record] = debug_records(caplog, "! no valid HTTP request")
    assert record.exc_info is not None
    assert str(record.exc_info[1]) == "connection closed while reading HTTP request line"


async def test_listening_log_names_each_socket(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="websockets.server"):
        async with run_server() as server:
            port = get_port(server)
    assert f"server listening on {HOST}:{port}" in [r.getMessage() for r in caplog.records]


async def test_info_logs_of_accepted_and_rejected_connections(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def handler(ws: ServerConnection) -> None:
        await ws.send("hi")

    with caplog.at_level(logging.INFO, logger="websockets.server"):
        async with run_server(handler) as server:
            async with connect(get_uri(server)) as ws:
                await ws.recv()
            await ws.wait_closed()
            client = await RawClient.connect(get_port(server), handshake=False)
            client.writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            await asyncio.wait_for(client.reader.read(), timeout=5)
            client.close()
            await asyncio.sleep(0.05)
    messages = [
        r.getMessage()
        for r in caplog.records
        if r.name == "websockets.server" and r.levelno == logging.INFO
    ]
    assert [m for m in messages if "listening" not in m and "server clos" not in m] == [
        "connection open",
        "connection closed",
        "connection rejected (426 Upgrade Required)",
        "connection closed",
    ]


@pytest.mark.parametrize("make", [serve, websockets_impl.asyncio.server.unix_serve])
def test_serve_outside_a_running_loop_raises(make: Any) -> None:
    """As upstream: the new serve() is made in a coroutine (the legacy one was not, and
    ``loop.run_until_complete(serve(...))`` at module level breaks once moved)."""
    with pytest.raises(RuntimeError, match="no running event loop"):
        make(echo, HOST, 0) if make is serve else make(echo, path="/tmp/none.sock")


async def test_serve_returns_the_server_it_starts() -> None:
    """As upstream: ``serve()`` gives a :class:`Server` (not yet listening); awaiting it
    or entering it gives that same object, listening."""
    made = serve(echo, HOST, 0)
    assert isinstance(made, Server)
    assert await made is made
    assert made.is_serving() and made.sockets
    made.close()
    await made.wait_closed()
    entered = serve(echo, HOST, 0)
    async with entered as server:
        assert server is entered
        async with connect(get_uri(server)) as ws:
            await ws.send("same")
            assert await ws.recv() == "same"


async def test_a_server_made_by_hand() -> None:
    """``Server(create_server, handler, logger=None)``: the handler for each connection of
    an :class:`asyncio.Server` that ``create_server`` makes."""
    loop = asyncio.get_running_loop()
    server: Server

    def factory() -> ServerConnection:
        return ServerConnection(ServerProtocol(), server)

    server = Server(loop.create_server(factory, HOST, 0), echo, logging.getLogger("by-hand"))
    async with server, connect(get_uri(server)) as ws:
        await ws.send("by hand")
        assert await ws.recv() == "by hand"
