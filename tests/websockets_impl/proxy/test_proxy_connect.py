"""connect() through proxies, asyncio and threading, against proxies on 127.0.0.1."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator

import pytest
import trustme
from proxy_servers import http_proxy, socks5_proxy

from websockets_impl.asyncio.client import connect as async_connect
from websockets_impl.exceptions import InvalidProxy, InvalidProxyMessage, InvalidProxyStatus
from websockets_impl.sync.client import connect
from websockets_impl.sync.server import ServerConnection, serve

pytestmark = pytest.mark.timeout(30)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def _echo(connection: ServerConnection) -> None:
    for message in connection:
        connection.send(message)


@pytest.fixture
def ws_port() -> Iterator[int]:
    server = serve(_echo, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.socket.getsockname()[1]
    server.shutdown()
    thread.join(5)


@pytest.fixture
def wss_port(ca: trustme.CA) -> Iterator[int]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(context)
    server = serve(_echo, "127.0.0.1", 0, ssl=context)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.socket.getsockname()[1]
    server.shutdown()
    thread.join(5)


def _client_tls(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def _proxy_tls(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


# Threading client.


def test_sync_http_proxy_with_credentials(ws_port: int) -> None:
    with http_proxy(credentials=("u", "p")) as (port, log):
        with connect(f"ws://127.0.0.1:{ws_port}/", proxy=f"http://u:p@127.0.0.1:{port}") as ws:
            ws.send("via proxy")
            assert ws.recv() == "via proxy"
        assert log.targets == [("127.0.0.1", ws_port)]
        assert log.requests[0].startswith(f"CONNECT 127.0.0.1:{ws_port} HTTP/1.1\r\n".encode())
        with pytest.raises(InvalidProxyStatus, match="proxy rejected connection: HTTP 407"):
            connect(f"ws://127.0.0.1:{ws_port}/", proxy=f"http://127.0.0.1:{port}")


def test_sync_malformed_proxy_answer(ws_port: int) -> None:
    with (
        http_proxy(reply=b"garbage\r\n\r\n") as (port, _),
        pytest.raises(InvalidProxyMessage, match="did not receive a valid HTTP response"),
    ):
        connect(f"ws://127.0.0.1:{ws_port}/", proxy=f"http://127.0.0.1:{port}")


def test_sync_socks5_proxy(ws_port: int) -> None:
    with socks5_proxy(credentials=("u", "p")) as (port, log):
        uri = f"ws://localhost:{ws_port}/"
        with connect(uri, proxy=f"socks5h://u:p@127.0.0.1:{port}") as ws:
            ws.send("via socks")
            assert ws.recv() == "via socks"
        # socks5h resolves the name on the proxy.
        assert log.targets == [("localhost", ws_port)]


def test_sync_proxy_from_environment(ws_port: int, monkeypatch: pytest.MonkeyPatch) -> None:
    with http_proxy() as (port, log):
        monkeypatch.setenv("ws_proxy", f"http://127.0.0.1:{port}")
        monkeypatch.delenv("no_proxy", raising=False)
        with connect(f"ws://127.0.0.1:{ws_port}/") as ws:
            ws.send("env")
            assert ws.recv() == "env"
        assert len(log.targets) == 1
        with connect(f"ws://127.0.0.1:{ws_port}/", proxy=None) as ws:
            ws.send("direct")
            assert ws.recv() == "direct"
        assert len(log.targets) == 1


def test_sync_wss_through_https_proxy(ca: trustme.CA, wss_port: int) -> None:
    with http_proxy(tls=_proxy_tls(ca)) as (port, log):
        with connect(
            f"wss://localhost:{wss_port}/",
            ssl=_client_tls(ca),
            proxy=f"https://127.0.0.1:{port}",
            proxy_ssl=_client_tls(ca),
        ) as ws:
            ws.send("tls in tls")
            assert ws.recv() == "tls in tls"
        assert log.targets == [("localhost", wss_port)]


def test_sync_invalid_proxy_and_arguments(ws_port: int) -> None:
    with pytest.raises(InvalidProxy, match="scheme other isn't supported"):
        connect(f"ws://127.0.0.1:{ws_port}/", proxy="other://localhost:51080")
    with pytest.raises(ValueError, match="proxy_ssl argument is incompatible with an http://"):
        connect(
            f"ws://127.0.0.1:{ws_port}/",
            proxy="http://127.0.0.1:1",
            proxy_ssl=ssl.create_default_context(),
        )


# asyncio client.


async def test_asyncio_http_proxy(ws_port: int) -> None:
    with http_proxy(credentials=("u", "p")) as (port, log):
        uri = f"ws://127.0.0.1:{ws_port}/"
        async with async_connect(uri, proxy=f"http://u:p@127.0.0.1:{port}") as ws:
            await ws.send("async via proxy")
            assert await ws.recv() == "async via proxy"
        assert log.targets == [("127.0.0.1", ws_port)]
        with pytest.raises(InvalidProxyStatus):
            await async_connect(uri, proxy=f"http://127.0.0.1:{port}")


async def test_asyncio_malformed_answer_and_bad_scheme(ws_port: int) -> None:
    uri = f"ws://127.0.0.1:{ws_port}/"
    with (
        http_proxy(reply=b"HTTP/1.1 200\r\nbroken header\r\n\r\n") as (port, _),
        pytest.raises(InvalidProxyMessage),
    ):
        await async_connect(uri, proxy=f"http://127.0.0.1:{port}")
    # The proxy is parsed when connecting, not when building connect().
    client = async_connect(uri, proxy="other://localhost:51080")
    with pytest.raises(InvalidProxy, match="scheme other isn't supported"):
        await client
    with pytest.raises(ValueError, match="proxy_ssl=None is incompatible with an https://"):
        await async_connect(uri, proxy="https://127.0.0.1:1", proxy_ssl=None)
    with pytest.raises(ValueError, match="proxy_ssl argument is incompatible with an http://"):
        await async_connect(uri, proxy="http://127.0.0.1:1", proxy_ssl=True)


async def test_asyncio_socks5_proxy(ws_port: int) -> None:
    with socks5_proxy() as (port, log):
        uri = f"ws://127.0.0.1:{ws_port}/"
        async with async_connect(uri, proxy=f"socks5://127.0.0.1:{port}") as ws:
            await ws.send("async via socks")
            assert await ws.recv() == "async via socks"
        assert log.targets == [("127.0.0.1", ws_port)]


async def test_asyncio_wss_through_https_proxy(ca: trustme.CA, wss_port: int) -> None:
    with http_proxy(tls=_proxy_tls(ca)) as (port, log):
        async with async_connect(
            f"wss://localhost:{wss_port}/",
            ssl=_client_tls(ca),
            proxy=f"https://127.0.0.1:{port}",
            proxy_ssl=_client_tls(ca),
        ) as ws:
            await ws.send("async tls in tls")
            assert await ws.recv() == "async tls in tls"
        assert log.targets == [("localhost", wss_port)]
