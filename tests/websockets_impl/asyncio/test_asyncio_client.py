"""connect(): usage modes, handshake options, redirects, auth, reconnection, TLS, Unix sockets."""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from asyncio_helpers import HOST, echo, get_port, get_uri, raw_server, run_server

from websockets_impl.asyncio.client import ClientConnection, connect, unix_connect
from websockets_impl.asyncio.server import ServerConnection, basic_auth, unix_serve
from websockets_impl.datastructures import Headers
from websockets_impl.exceptions import (
    InvalidHandshake,
    InvalidMessage,
    InvalidStatus,
    InvalidURI,
    SecurityError,
)
from websockets_impl.http11 import Request, Response

# Fast, deterministic reconnection for tests.


def no_delays() -> Generator[float]:
    while True:
        yield 0.0


async def handshake_headers(ws: ServerConnection) -> None:
    """Send the request headers back as the first message."""
    assert ws.request is not None
    await ws.send(str(ws.request.headers))
    await ws.wait_closed()


async def test_await_connect_returns_an_open_connection() -> None:
    async with run_server() as server:
        ws = await connect(get_uri(server))
        assert isinstance(ws, ClientConnection)
        await ws.send("x")
        assert await ws.recv() == "x"
        await ws.close()


async def test_request_headers() -> None:
    async with run_server(handshake_headers) as server:
        async with connect(
            get_uri(server),
            origin="https://example.com",  # type: ignore[arg-type]
            additional_headers={"X-Custom": "1", "User-Agent": "mine/1.0"},
            user_agent_header="ignored/0.0",
        ) as ws:
            headers = await ws.recv()
        assert isinstance(headers, str)
        assert "Origin: https://example.com" in headers
        assert "X-Custom: 1" in headers
        # additional_headers take precedence over user_agent_header.
        assert "User-Agent: mine/1.0" in headers
        assert "ignored" not in headers

        async with connect(get_uri(server), user_agent_header=None) as ws:
            assert "User-Agent" not in await ws.recv()
        async with connect(get_uri(server)) as ws:
            assert "User-Agent: Python/" in await ws.recv()


async def test_additional_headers_as_headers_and_pairs() -> None:
    async with run_server(handshake_headers) as server:
        for additional in (Headers(X_A="1"), [("X-A", "1")]):
            async with connect(get_uri(server), additional_headers=additional) as ws:
                received = await ws.recv()
                assert "X-A: 1" in received or "X_A: 1" in received


async def test_compression_is_negotiated_by_default() -> None:
    async with run_server() as server:
        async with connect(get_uri(server)) as ws:
            assert ws.response is not None
            assert "permessage-deflate" in ws.response.headers["Sec-WebSocket-Extensions"]
            await ws.send("a" * 10_000)
            assert await ws.recv() == "a" * 10_000
        async with connect(get_uri(server), compression=None) as ws:
            assert ws.response is not None
            assert "Sec-WebSocket-Extensions" not in ws.response.headers
    with pytest.raises(ValueError):
        connect("ws://localhost/", compression="zstd")


async def test_subprotocol_negotiation() -> None:
    async with run_server(subprotocols=["chat", "superchat"]) as server:
        async with connect(get_uri(server), subprotocols=["superchat"]) as ws:  # type: ignore[list-item]
            assert ws.subprotocol == "superchat"
        # A server with subprotocols requires the client to offer one.
        with pytest.raises(InvalidStatus) as raised:
            await connect(get_uri(server))
        assert raised.value.response.status_code == 400
    async with (
        run_server() as server,
        connect(get_uri(server), subprotocols=["chat"]) as ws,  # type: ignore[list-item]
    ):
        assert ws.subprotocol is None


async def test_invalid_status() -> None:
    def not_found(ws: ServerConnection, request: Request) -> Response:
        return ws.respond(404, "Not here\n")

    async with run_server(process_request=not_found) as server:
        with pytest.raises(InvalidStatus) as raised:
            await connect(get_uri(server))
        assert raised.value.response.status_code == 404
        assert raised.value.response.body == b"Not here\n"


async def test_invalid_uri() -> None:
    with pytest.raises(InvalidURI):
        await connect("http://localhost/")


async def test_connection_refused() -> None:
    sock = socket.socket()
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(OSError):
        await connect(f"ws://{HOST}:{port}/")


async def test_invalid_response_from_a_non_websocket_server() -> None:
    async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"SSH-2.0-OpenSSH\r\n\r\n")
        await asyncio.sleep(10)

    async with raw_server(garbage) as port:
        with pytest.raises(InvalidMessage):
            await connect(f"ws://{HOST}:{port}/", open_timeout=2)


async def test_server_closing_during_handshake_is_retryable() -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")

    async with raw_server(hang_up) as port:
        with pytest.raises(InvalidMessage) as raised:
            await connect(f"ws://{HOST}:{port}/")
        assert isinstance(raised.value.__cause__, EOFError)


async def test_host_and_port_override_the_tcp_destination() -> None:
    async with run_server(handshake_headers) as server:
        uri = "ws://example.invalid:1234/"
        async with connect(uri, host=HOST, port=get_port(server)) as ws:
            assert "Host: example.invalid:1234" in await ws.recv()


async def test_sock_argument() -> None:
    async with run_server() as server:
        sock = socket.create_connection((HOST, get_port(server)))
        async with connect("ws://anything/", sock=sock) as ws:
            await ws.send("via sock")
            assert await ws.recv() == "via sock"


async def test_create_connection_subclass() -> None:
    class MyConnection(ClientConnection):
        pass

    async with (
        run_server() as server,
        connect(get_uri(server), create_connection=MyConnection) as ws,
    ):
        assert isinstance(ws, MyConnection)


async def test_proxy_argument_is_accepted() -> None:
    async with run_server() as server, connect(get_uri(server), proxy=None) as ws:
        await ws.send("x")
        assert await ws.recv() == "x"


# Authentication and redirects


async def test_basic_auth_from_uri_credentials() -> None:
    auth = basic_auth(credentials=("user", "p@ss"))

    async def whoami(ws: ServerConnection) -> None:
        await ws.send(ws.username)

    async with run_server(whoami, process_request=auth) as server:
        port = get_port(server)
        async with connect(f"ws://user:p%40ss@{HOST}:{port}/") as ws:
            assert await ws.recv() == "user"
        with pytest.raises(InvalidStatus) as raised:
            await connect(f"ws://user:wrong@{HOST}:{port}/")
        assert raised.value.response.status_code == 401


def redirect_to(location: str, status: int = 302) -> Any:
    def process_request(ws: ServerConnection, request: Request) -> Response | None:
        if request.path != "/old":
            return None
        response = ws.respond(status, "Moved\n")
        response.headers["Location"] = location
        return response

    return process_request


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirect_on_the_same_origin_keeps_credentials(status: int) -> None:
    async with run_server(handshake_headers, process_request=redirect_to("/new", status)) as srv:
        async with connect(
            get_uri(srv, path="/old"),
            additional_headers={"Authorization": "Bearer token", "Cookie": "a=b"},
        ) as ws:
            headers = await ws.recv()
            assert ws.request is not None and ws.request.path == "/new"
        assert "Authorization: Bearer token" in headers
        assert "Cookie: a=b" in headers


async def test_redirect_to_another_origin_drops_credentials() -> None:
    async with run_server(handshake_headers) as target:
        redirect = redirect_to(get_uri(target, path="/new"))
        async with (
            run_server(process_request=redirect) as origin,
            connect(
                get_uri(origin, path="/old"),
                additional_headers={
                    "Authorization": "Bearer token",
                    "Cookie": "a=b",
                    "Proxy-Authorization": "Basic xyz",
                    "X-Keep": "yes",
                },
            ) as ws,
        ):
            headers = await ws.recv()
    assert "Authorization" not in headers
    assert "Cookie" not in headers
    assert "X-Keep: yes" in headers


async def test_too_many_redirects() -> None:
    def loop(ws: ServerConnection, request: Request) -> Response:
        response = ws.respond(302, "Moved\n")
        response.headers["Location"] = "/again"
        return response

    async with run_server(process_request=loop) as server:
        with pytest.raises(SecurityError):
            await connect(get_uri(server))


async def test_redirect_without_location_is_an_invalid_status() -> None:
    def moved(ws: ServerConnection, request: Request) -> Response:
        return ws.respond(302, "Moved\n")

    async with run_server(process_request=moved) as server:
        with pytest.raises(InvalidStatus):
            await connect(get_uri(server))


async def test_redirect_with_a_preexisting_socket_is_refused() -> None:
    async with run_server(process_request=redirect_to("/new")) as server:
        new_uri = get_uri(server, path="/new")
        sock = socket.create_connection((HOST, get_port(server)))
        with sock, pytest.raises(ValueError) as raised:
            await connect(get_uri(server, path="/old"), sock=sock)
    assert str(raised.value) == f"cannot follow redirect to {new_uri} with a preexisting socket"
    assert isinstance(raised.value.__cause__, InvalidStatus)


async def test_cross_origin_redirect_with_explicit_host_or_port_is_refused() -> None:
    async with run_server(process_request=redirect_to("ws://elsewhere.invalid/")) as server:
        port = get_port(server)
        # Both reach the server: one through host=, the other through port=.
        attempts: list[tuple[str, dict[str, Any]]] = [
            (f"ws://localhost:{port}/old", {"host": HOST}),
            (f"ws://{HOST}:1/old", {"port": port}),
        ]
        for uri, override in attempts:
            with pytest.raises(ValueError) as raised:
                await connect(uri, **override)
            assert str(raised.value) == (
                "cannot follow cross-origin redirect to ws://elsewhere.invalid/ "
                "with an explicit host or port"
            )


async def test_connect_is_not_reentrant() -> None:
    async with run_server() as server:
        client = connect(get_uri(server))
        async with client:
            with pytest.raises(RuntimeError, match="connect\\(\\) isn't reentrant"):
                async with client:
                    pass
        # Once exited, it can be entered again.
        async with client as ws:
            await ws.send("again")
            assert await ws.recv() == "again"


async def test_redirect_to_a_non_websocket_uri() -> None:
    async with run_server(process_request=redirect_to("http://example.com/")) as server:
        with pytest.raises(InvalidURI):
            await connect(get_uri(server, path="/old"))


# Reconnection


async def test_async_for_reconnects_after_retryable_errors() -> None:
    attempts = 0

    def flaky(ws: ServerConnection, request: Request) -> Response | None:
        nonlocal attempts
        attempts += 1
        if attempts < 3:
            return ws.respond(503, "Try again\n")
        return None

    async with run_server(process_request=flaky) as server:
        async for ws in connect(get_uri(server), reconnect_delays=no_delays):
            await ws.send("made it")
            assert await ws.recv() == "made it"
            break
    assert attempts == 3


async def test_async_for_reconnects_when_the_connection_drops() -> None:
    connections = 0

    async def drop_first(ws: ServerConnection) -> None:
        nonlocal connections
        connections += 1
        if connections == 1:
            await ws.close(1012, "restarting")
            return
        await ws.send("second")

    seen = []
    async with run_server(drop_first) as server:
        async for ws in connect(get_uri(server), reconnect_delays=no_delays):
            try:
                seen.append(await ws.recv())
            except Exception:
                continue
            break
    assert seen == ["second"]


async def test_async_for_raises_fatal_errors() -> None:
    def forbidden(ws: ServerConnection, request: Request) -> Response:
        return ws.respond(403, "No\n")

    async with run_server(process_request=forbidden) as server:
        with pytest.raises(InvalidStatus):
            async for _ in connect(get_uri(server), reconnect_delays=no_delays):
                pytest.fail("connected")


async def test_process_exception_decides() -> None:
    seen: list[Exception] = []

    def give_up_on_second(exc: Exception) -> Exception | None:
        seen.append(exc)
        if len(seen) == 2:
            return RuntimeError("giving up")
        return None

    def refuse(ws: ServerConnection, request: Request) -> Response:
        return ws.respond(403, "No\n")

    async with run_server(process_request=refuse) as server:
        with pytest.raises(RuntimeError, match="giving up") as raised:
            async for _ in connect(
                get_uri(server),
                process_exception=give_up_on_second,
                reconnect_delays=no_delays,
            ):
                pytest.fail("connected")
    assert isinstance(raised.value.__cause__, InvalidStatus)
    assert len(seen) == 2


async def test_process_exception_may_raise() -> None:
    def explode(exc: Exception) -> Exception | None:
        raise ValueError("from callback")

    sock = socket.socket()
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(ValueError, match="from callback"):
        async for _ in connect(f"ws://{HOST}:{port}/", process_exception=explode):
            pytest.fail("connected")


async def test_backoff_delays_are_used() -> None:
    delays: list[float] = []

    def recording() -> Iterator[float]:
        for delay in (0.01, 0.02, 0.03):
            delays.append(delay)
            yield delay
        raise AssertionError("too many retries")

    attempts = 0

    def flaky(ws: ServerConnection, request: Request) -> Response | None:
        nonlocal attempts
        attempts += 1
        return ws.respond(500, "Oops\n") if attempts <= 3 else None

    async with run_server(process_request=flaky) as server:
        async for ws in connect(get_uri(server), reconnect_delays=recording):  # type: ignore[arg-type]
            await ws.close()
            break
    assert delays == [0.01, 0.02, 0.03]


# Unix sockets and TLS


async def test_unix_connect_and_serve_refuse_path_and_sock(tmp_path: Path) -> None:
    path = tmp_path / "ws.sock"
    sock = socket.socket(socket.AF_UNIX)
    with sock, pytest.raises(ValueError, match="path and sock can not be specified"):
        await unix_connect(path, sock=sock)
    sock = socket.socket(socket.AF_UNIX)
    with sock, pytest.raises(ValueError, match="path and sock can not be specified"):
        await unix_serve(echo, path, sock=sock)


async def test_cross_origin_redirect_over_a_unix_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ws.sock"
    async with unix_serve(echo, path, process_request=redirect_to("ws://elsewhere/")):
        with pytest.raises(ValueError) as raised:
            await unix_connect(path, "ws://localhost/old")
    assert str(raised.value) == (
        "cannot follow cross-origin redirect to ws://elsewhere/ with a Unix socket"
    )
    assert isinstance(raised.value.__cause__, InvalidStatus)


async def test_unix_socket(tmp_path: Path) -> None:
    path = tmp_path / "ws.sock"

    async def echo_path(ws: ServerConnection) -> None:
        assert ws.request is not None
        await ws.send(ws.request.path)

    async with unix_serve(echo_path, path):
        async with unix_connect(path) as ws:
            assert await ws.recv() == "/"
        async with unix_connect(path, "ws://localhost/chat") as ws:
            assert await ws.recv() == "/chat"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", HOST).configure_cert(context)
    return context


@pytest.fixture(scope="module")
def client_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


async def test_tls(server_context: ssl.SSLContext, client_context: ssl.SSLContext) -> None:
    async with run_server(ssl=server_context) as server:
        async with connect(get_uri(server, secure=True), ssl=client_context) as ws:
            await ws.send("secret")
            assert await ws.recv() == "secret"
            assert ws.transport.get_extra_info("ssl_object") is not None
            await ws.send(b"z" * 300_000)
            assert await ws.recv() == b"z" * 300_000
        assert ws.close_code == 1000


async def test_tls_close_by_server(
    server_context: ssl.SSLContext, client_context: ssl.SSLContext
) -> None:
    async def close_now(ws: ServerConnection) -> None:
        await ws.close(1001, "bye")

    async with run_server(close_now, ssl=server_context) as server:
        async with connect(get_uri(server, secure=True), ssl=client_context) as ws:
            await ws.wait_closed()
        assert (ws.close_code, ws.close_reason) == (1001, "bye")


async def test_tls_verifies_the_server(server_context: ssl.SSLContext) -> None:
    async with run_server(ssl=server_context) as server:
        # The default context doesn't trust the test CA.
        with pytest.raises(ssl.SSLCertVerificationError):
            await connect(get_uri(server, secure=True))


async def test_tls_server_hostname(
    server_context: ssl.SSLContext, client_context: ssl.SSLContext
) -> None:
    async with run_server(ssl=server_context) as server:
        uri = f"wss://localhost:{get_port(server)}/"
        async with connect(uri, ssl=client_context, host=HOST) as ws:
            await ws.send("by name")
            assert await ws.recv() == "by name"


async def test_redirect_from_wss_to_ws_is_refused(
    server_context: ssl.SSLContext, client_context: ssl.SSLContext
) -> None:
    async with run_server() as plain:
        plain_uri = get_uri(plain)
        async with run_server(process_request=redirect_to(plain_uri), ssl=server_context) as secure:
            with pytest.raises(SecurityError) as raised:
                await connect(get_uri(secure, secure=True, path="/old"), ssl=client_context)
    assert str(raised.value) == f"cannot follow redirect to non-secure URI {plain_uri}"
    assert isinstance(raised.value.__cause__, InvalidStatus)


async def test_ssl_with_ws_uri_is_an_error(client_context: ssl.SSLContext) -> None:
    with pytest.raises(ValueError) as raised:
        await connect("ws://localhost/", ssl=client_context)
    assert str(raised.value) == "ssl argument is incompatible with a ws:// URI"


async def test_ssl_none_with_wss_uri_is_an_error() -> None:
    with pytest.raises(ValueError) as raised:
        await connect("wss://localhost/", ssl=None)
    assert str(raised.value) == "ssl=None is incompatible with a wss:// URI"


async def test_open_timeout_covers_tls_and_handshake(client_context: ssl.SSLContext) -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(10)

    async with raw_server(silent) as port:
        with pytest.raises(TimeoutError):
            await connect(f"wss://localhost:{port}/", ssl=client_context, open_timeout=0.2)


async def test_handshake_errors_are_invalid_handshake() -> None:
    async def wrong_accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Accept: bad\r\n\r\n"
        )
        await asyncio.sleep(10)

    async with raw_server(wrong_accept) as port:
        with pytest.raises(InvalidHandshake):
            await connect(f"ws://{HOST}:{port}/", open_timeout=2)
