"""The legacy client: connect(), unix_connect(), WebSocketClientProtocol."""

from __future__ import annotations

import asyncio
import contextlib
import http
import logging
import socket
import ssl
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
import trustme
from legacy_helpers import echo, legacy_server, server_uri

from websockets_impl.datastructures import Headers
from websockets_impl.exceptions import (
    InvalidHandshake,
    InvalidHeader,
    InvalidMessage,
    InvalidURI,
    NegotiationError,
    SecurityError,
)
from websockets_impl.extensions.permessage_deflate import (
    ClientPerMessageDeflateFactory,
    ServerPerMessageDeflateFactory,
)
from websockets_impl.http11 import USER_AGENT

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from websockets_impl.legacy import client as legacy_client_module
    from websockets_impl.legacy.client import (
        Connect,
        WebSocketClientProtocol,
        connect,
        unix_connect,
    )
    from websockets_impl.legacy.exceptions import InvalidStatusCode
    from websockets_impl.legacy.server import WebSocketServerProtocol, unix_serve


async def headers_echo(ws: WebSocketServerProtocol) -> None:
    """Send back the request headers, one "name: value" per line."""
    await ws.send("".join(f"{name}: {value}\n" for name, value in ws.request_headers.raw_items()))


def received_headers(text: str) -> Headers:
    return Headers(line.split(": ", 1) for line in text.splitlines())  # type: ignore[misc]


@contextlib.asynccontextmanager
async def raw_server(
    respond: bytes | None,
) -> AsyncIterator[str]:
    """A TCP server that answers any request with ``respond``, or never answers."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        if respond is None:
            await reader.read()
        else:
            writer.write(respond)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    host, port = server.sockets[0].getsockname()[:2]
    async with server:
        yield f"ws://{host}:{port}/"


# Usage modes.


async def test_await_connect() -> None:
    async with legacy_server() as server:
        ws = await connect(server_uri(server))
        assert isinstance(ws, WebSocketClientProtocol)
        await ws.send("hi")
        assert await ws.recv() == "hi"
        await ws.close()
        assert ws.close_code == 1000


async def test_async_with_closes_on_exit() -> None:
    async with legacy_server() as server:
        async with connect(server_uri(server)) as ws:
            assert ws.open
        assert ws.closed
        assert ws.close_code == 1000


async def test_async_with_closes_with_1000_on_exception() -> None:
    async with legacy_server() as server:
        with pytest.raises(ZeroDivisionError):
            async with connect(server_uri(server)) as ws:
                1 / 0  # noqa: B018
        assert ws.close_sent is not None
        assert ws.close_sent.code == 1000


def test_connect_is_the_connect_class() -> None:
    assert connect is Connect
    assert Connect.MAX_REDIRECTS_ALLOWED == 10
    assert (Connect.BACKOFF_INITIAL, Connect.BACKOFF_MIN) == (5.0, 3.1)
    assert (Connect.BACKOFF_MAX, Connect.BACKOFF_FACTOR) == (90.0, 1.618)


def test_connect_can_be_created_outside_a_running_loop() -> None:
    # Legacy code builds connect() and passes it to run_until_complete().
    connecting = connect("ws://127.0.0.1:1/")
    assert isinstance(connecting, Connect)


# Reconnecting.


class Backoff(Connect):
    BACKOFF_INITIAL = 2.0
    BACKOFF_MIN = 3.0
    BACKOFF_FACTOR = 1.5
    BACKOFF_MAX = 7.0


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the client's reconnection delays instead of waiting; random() is 0.5."""
    recorded: list[float] = []
    real_sleep = asyncio.sleep

    async def sleep(delay: float) -> None:
        recorded.append(delay)
        await real_sleep(0)

    names = {name: getattr(asyncio, name) for name in dir(asyncio) if not name.startswith("_")}
    names["sleep"] = sleep
    monkeypatch.setattr(legacy_client_module, "asyncio", SimpleNamespace(**names))
    monkeypatch.setattr(legacy_client_module, "random", SimpleNamespace(random=lambda: 0.5))
    return recorded


def rejecting(plan: str) -> Callable[[str, Headers], Awaitable[object]]:
    """A process_request that rejects with 403 the attempts marked F in ``plan``."""
    attempts = iter(plan)

    async def process_request(path: str, headers: Headers) -> object:
        # 403 is fatal in the new implementation; the legacy one retries everything.
        if next(attempts) == "F":
            return http.HTTPStatus.FORBIDDEN, [], b""
        return None

    return process_request


async def test_async_for_retries_any_error_with_backoff(
    sleeps: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    async with legacy_server(process_request=rejecting("FFFFFS")) as server:
        with caplog.at_level(logging.INFO, logger="websockets.client"):
            async for ws in Backoff(server_uri(server)):
                await ws.send("made it")
                assert await ws.recv() == "made it"
                break
    # A quick first retry (one step below BACKOFF_MIN, in whole seconds), a random share
    # of BACKOFF_INITIAL, then BACKOFF_MIN growing by BACKOFF_FACTOR up to BACKOFF_MAX.
    assert sleeps == [2, 1.0, 4, 6, 7]
    error = (
        "websockets_impl.legacy.exceptions.InvalidStatusCode: "
        "server rejected WebSocket connection: HTTP 403"
    )
    assert [record.getMessage() for record in caplog.records] == [
        f"connect failed again; retrying in 2 seconds: {error}",
        f"connect failed; reconnecting in 1.0 seconds: {error}",
        f"connect failed again; retrying in 4 seconds: {error}",
        f"connect failed again; retrying in 6 seconds: {error}",
        f"connect failed again; retrying in 7 seconds: {error}",
    ]


async def test_async_for_backoff_restarts_after_a_connection(sleeps: list[float]) -> None:
    connections = 0
    async with legacy_server(process_request=rejecting("FSFFS")) as server:
        async for _ws in Backoff(server_uri(server)):
            connections += 1
            if connections == 2:
                break
    assert sleeps == [2, 1.0, 4]


async def test_async_for_reconnects_after_a_connection_ends() -> None:
    connections = 0

    async def handler(ws: WebSocketServerProtocol) -> None:
        nonlocal connections
        connections += 1
        await ws.send(str(connections))

    async with legacy_server(handler) as server:
        received = []
        async for ws in connect(server_uri(server)):
            received.append(await ws.recv())
            if len(received) == 3:
                break
    assert received == ["1", "2", "3"]


# Handshake request.


async def test_extra_headers_and_user_agent() -> None:
    async with legacy_server(headers_echo) as server:
        for extra_headers in (
            {"X-Token": "abc"},
            [("X-Token", "abc")],
            Headers([("X-Token", "abc")]),
        ):
            async with connect(server_uri(server), extra_headers=extra_headers) as ws:
                headers = received_headers(await ws.recv())
            assert headers.get_all("X-Token") == ["abc"]
            assert headers["User-Agent"] == USER_AGENT


async def test_user_agent_header_can_be_replaced_or_removed() -> None:
    async with legacy_server(headers_echo) as server:
        async with connect(server_uri(server), user_agent_header="bot/1") as ws:
            assert received_headers(await ws.recv())["User-Agent"] == "bot/1"
        async with connect(server_uri(server), user_agent_header=None) as ws:
            assert "User-Agent" not in received_headers(await ws.recv())
        async with connect(server_uri(server), extra_headers={"User-Agent": "mine"}) as ws:
            assert received_headers(await ws.recv()).get_all("User-Agent") == ["mine"]


async def test_origin_and_host_headers() -> None:
    async with legacy_server(headers_echo) as server:
        uri = server_uri(server)
        async with connect(uri, origin="https://example.com") as ws:
            headers = received_headers(await ws.recv())
        port = server.sockets[0].getsockname()[1]
        assert headers["Origin"] == "https://example.com"
        assert headers["Host"] == f"127.0.0.1:{port}"
        assert ws.origin == "https://example.com"


async def test_uri_credentials_become_basic_authorization() -> None:
    async with legacy_server(headers_echo) as server:
        uri = server_uri(server).replace("ws://", "ws://user:pass@")
        async with connect(uri) as ws:
            headers = received_headers(await ws.recv())
        assert headers["Authorization"] == "Basic dXNlcjpwYXNz"


async def test_path_and_query_are_sent() -> None:
    async with (
        legacy_server(lambda ws: ws.send(ws.path)) as server,
        connect(server_uri(server, "/chat?room=1")) as ws,
    ):
        assert await ws.recv() == "/chat?room=1"
        assert ws.path == "/chat?room=1"


async def test_host_and_port_override_the_tcp_destination() -> None:
    async with legacy_server(headers_echo) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect("ws://example.invalid/", host="127.0.0.1", port=port) as ws:
            assert received_headers(await ws.recv())["Host"] == "example.invalid"


async def test_sock_argument() -> None:
    async with legacy_server() as server:
        sock = socket.create_connection(server.sockets[0].getsockname()[:2])
        async with connect("ws://localhost/", sock=sock) as ws:
            await ws.send("via sock")
            assert await ws.recv() == "via sock"


# Negotiation.


async def test_subprotocols() -> None:
    async with (
        legacy_server(subprotocols=["chat", "superchat"]) as server,
        connect(server_uri(server), subprotocols=["superchat"]) as ws,
    ):
        assert ws.subprotocol == "superchat"
        assert ws.available_subprotocols == ["superchat"]


async def test_compression() -> None:
    async with legacy_server() as server:
        async with connect(server_uri(server)) as ws:
            assert [ext.name for ext in ws.extensions] == ["permessage-deflate"]
        async with connect(server_uri(server), compression=None) as ws:
            assert ws.extensions == []
            assert "Sec-WebSocket-Extensions" not in ws.request_headers
    with pytest.raises(ValueError, match="unsupported compression"):
        connect("ws://localhost/", compression="brotli")


async def test_custom_extensions() -> None:
    server_extensions = [ServerPerMessageDeflateFactory(server_max_window_bits=10)]
    client_extensions = [ClientPerMessageDeflateFactory(client_no_context_takeover=True)]
    async with (
        legacy_server(compression=None, extensions=server_extensions) as server,
        connect(server_uri(server), compression=None, extensions=client_extensions) as ws,
    ):
        response = ws.response_headers["Sec-WebSocket-Extensions"]
        assert "client_no_context_takeover" in response
        assert "server_max_window_bits=10" in response
        await ws.send("compressed " * 100)
        assert await ws.recv() == "compressed " * 100
        (server_ws,) = server.websockets
        assert [ext.name for ext in server_ws.extensions] == ["permessage-deflate"]


async def test_unexpected_subprotocol_is_rejected() -> None:
    async with legacy_server(extra_headers={"Sec-WebSocket-Protocol": "chat"}) as server:
        with pytest.raises(InvalidHandshake, match="no subprotocols supported"):
            await connect(server_uri(server))
        with pytest.raises(NegotiationError, match="unsupported subprotocol"):
            await connect(server_uri(server), subprotocols=["other"])


async def test_unexpected_extension_is_rejected() -> None:
    async with legacy_server(
        compression=None, extra_headers={"Sec-WebSocket-Extensions": "x-unknown"}
    ) as server:
        with pytest.raises(InvalidHandshake, match="no extensions supported"):
            await connect(server_uri(server), compression=None)
        with pytest.raises(NegotiationError, match="Unsupported extension"):
            await connect(server_uri(server))


# Failures.


async def test_non_101_raises_invalid_status_code() -> None:
    async def process_request(path: str, headers: Headers) -> object:
        return http.HTTPStatus.FORBIDDEN, {"X-Why": "no"}, b"go away\n"

    async with legacy_server(process_request=process_request) as server:
        with pytest.raises(InvalidStatusCode) as raised:
            await connect(server_uri(server))
    assert raised.value.status_code == 403
    assert raised.value.headers["X-Why"] == "no"
    assert isinstance(raised.value, InvalidHandshake)


async def test_garbage_response_raises_invalid_message() -> None:
    async with raw_server(b"garbage\r\n\r\n") as uri:
        with pytest.raises(InvalidMessage, match="did not receive a valid HTTP response"):
            await connect(uri)


async def test_closed_connection_raises_invalid_message_from_eof() -> None:
    async with raw_server(b"") as uri:
        with pytest.raises(InvalidMessage) as raised:
            await connect(uri)
    assert isinstance(raised.value.__cause__, EOFError)


async def test_wrong_accept_key_is_rejected() -> None:
    response = (
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
    )
    async with raw_server(response) as uri:
        with pytest.raises(InvalidHeader):
            await connect(uri)


async def test_open_timeout() -> None:
    async with raw_server(None) as uri:
        loop = asyncio.get_running_loop()
        start = loop.time()
        with pytest.raises(TimeoutError):
            await connect(uri, open_timeout=0.1)
        assert loop.time() - start < 1


async def test_invalid_uri() -> None:
    with pytest.raises(InvalidURI):
        connect("http://localhost/")


async def test_ssl_with_ws_uri_is_rejected() -> None:
    with pytest.raises(ValueError, match="use a wss:// URI"):
        connect("ws://localhost/", ssl=ssl.create_default_context())


async def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(OSError):
        await connect(f"ws://127.0.0.1:{port}/")


# Redirects.


async def test_follows_redirects() -> None:
    async with legacy_server(lambda ws: ws.send(ws.path)) as target:
        target_uri = server_uri(target, "/target")

        async def redirect(path: str, headers: Headers) -> object:
            return http.HTTPStatus.FOUND, {"Location": target_uri}, b""

        async with (
            legacy_server(process_request=redirect) as origin,
            connect(server_uri(origin)) as ws,
        ):
            assert await ws.recv() == "/target"
            assert ws.remote_address == target.sockets[0].getsockname()


async def test_follows_relative_redirect() -> None:
    async def redirect(path: str, headers: Headers) -> object:
        if path == "/old":
            return http.HTTPStatus.MOVED_PERMANENTLY, {"Location": "/new"}, b""
        return None

    async with (
        legacy_server(lambda ws: ws.send(ws.path), process_request=redirect) as server,
        connect(server_uri(server, "/old")) as ws,
    ):
        assert await ws.recv() == "/new"


async def test_max_redirects_counts_connection_attempts() -> None:
    async def redirect(path: str, headers: Headers) -> object:
        remaining = int(path.strip("/"))
        if remaining:
            return http.HTTPStatus.TEMPORARY_REDIRECT, {"Location": f"/{remaining - 1}"}, b""
        return None

    class FewRedirects(Connect):
        MAX_REDIRECTS_ALLOWED = 3

    async with legacy_server(lambda ws: ws.send(ws.path), process_request=redirect) as server:
        async with FewRedirects(server_uri(server, "/2")) as ws:
            assert await ws.recv() == "/0"
        with pytest.raises(SecurityError, match="too many redirects"):
            await FewRedirects(server_uri(server, "/3"))


async def test_redirect_without_location() -> None:
    async def redirect(path: str, headers: Headers) -> object:
        return http.HTTPStatus.FOUND, [], b""

    async with legacy_server(process_request=redirect) as server:
        with pytest.raises(InvalidHeader, match="Location"):
            await connect(server_uri(server))


def test_redirect_from_wss_to_ws_is_refused() -> None:
    connecting = connect("wss://example.com/")
    with pytest.raises(SecurityError, match="redirect from WSS to WS"):
        connecting.handle_redirect("ws://example.com/")


# Deprecated arguments and customization.


async def test_deprecated_arguments() -> None:
    with pytest.warns(DeprecationWarning, match="rename timeout to close_timeout"):
        connecting = connect("ws://localhost/", timeout=3)
    assert connecting._protocol_kwargs["close_timeout"] == 3
    with pytest.warns(DeprecationWarning, match="remove loop argument"):
        connect("ws://localhost/", loop=asyncio.get_running_loop())


async def test_klass_is_deprecated_create_protocol() -> None:
    class Custom(WebSocketClientProtocol):
        pass

    async with legacy_server() as server:
        with pytest.warns(DeprecationWarning, match="rename klass to create_protocol"):
            connecting = connect(server_uri(server), klass=Custom)
        async with connecting as ws:
            assert type(ws) is Custom
        async with connect(server_uri(server), create_protocol=Custom) as ws:
            assert type(ws) is Custom


async def test_legacy_recv_argument_warns() -> None:
    async with legacy_server() as server:
        with pytest.warns(DeprecationWarning, match="legacy_recv is deprecated"):
            ws = await connect(server_uri(server), legacy_recv=True)
        await ws.close()
        assert await ws.recv() is None


async def test_protocol_options_reach_the_connection() -> None:
    options = {
        "ping_interval": None,
        "ping_timeout": 5,
        "close_timeout": 2,
        "max_size": 100,
        "max_queue": 3,
        "read_limit": 2**10,
        "write_limit": 2**12,
    }
    async with legacy_server() as server, connect(server_uri(server), **options) as ws:
        assert (ws.ping_interval, ws.ping_timeout, ws.close_timeout) == (None, 5, 2)
        assert (ws.max_size, ws.max_queue) == (100, 3)
        assert (ws.read_limit, ws.write_limit) == (2**10, 2**12)


async def test_custom_logger() -> None:
    logger = logging.getLogger("my.client")
    async with legacy_server() as server, connect(server_uri(server), logger=logger) as ws:
        assert ws.logger.logger is logger


# Transports.


async def test_unix_socket(tmp_path: Path) -> None:
    path = str(tmp_path / "ws.sock")
    async with unix_serve(echo, path), unix_connect(path) as ws:
        await ws.send("over unix")
        assert await ws.recv() == "over unix"
        assert ws.request_headers["Host"] == "localhost"


async def test_tls() -> None:
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    # A certificate for the address connected to, not for the URI's host: with host=,
    # the certificate is checked against the host actually connected to.
    ca.issue_cert("127.0.0.1").configure_cert(server_context)
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    async with legacy_server(ssl=server_context) as server:
        port = server.sockets[0].getsockname()[1]
        uri = f"wss://localhost:{port}/"
        async with connect(uri, ssl=client_context, host="127.0.0.1") as ws:
            await ws.send("secret")
            assert await ws.recv() == "secret"
            with pytest.warns(DeprecationWarning):
                assert ws.secure is True
        # Without trusting the CA, the certificate is refused.
        with pytest.raises(ssl.SSLCertVerificationError):
            await connect(uri, host="127.0.0.1")


async def test_tls_over_a_socket_checks_the_uri_host() -> None:
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server_context)
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    async with legacy_server(ssl=server_context) as server:
        port = server.sockets[0].getsockname()[1]
        sock = socket.create_connection(("127.0.0.1", port))
        async with connect(f"wss://localhost:{port}/", ssl=client_context, sock=sock) as ws:
            await ws.send("by name")
            assert await ws.recv() == "by name"
