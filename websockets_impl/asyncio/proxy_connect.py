"""Opening the client's connection through a SOCKS or HTTP(S) proxy, for :func:`.client.connect`."""

from __future__ import annotations

import asyncio
import ssl as ssl_module
from collections.abc import Callable
from typing import Any

from ..exceptions import InvalidProxyMessage, InvalidProxyStatus, ProxyError
from ..http11 import Response
from ..proxy import SOCKS_SCHEMES, Proxy, prepare_connect_request, socks_proxy_settings
from ..streams import StreamReader
from ..uri import WebSocketURI

__all__ = ["connect_through_proxy"]

# Keyword arguments of create_connection() that belong to the WebSocket connection
# inside the tunnel; all others go to the connection to the proxy.
INNER_PREFIXES = ("ssl", "server_hostname")
PROXY_PREFIX = "proxy_"


async def connect_through_proxy(
    proxy: Proxy,
    ws_uri: WebSocketURI,
    factory: Callable[[], Any],
    kwargs: dict[str, Any],
    user_agent_header: str | None,
) -> Any:
    """Open a connection to ``ws_uri`` through ``proxy``; return the connection made by
    ``factory``, with its transport, before the opening handshake."""
    loop = asyncio.get_running_loop()
    kwargs.pop("host", None)
    kwargs.pop("port", None)
    if proxy.scheme in SOCKS_SCHEMES:
        sock = await _connect_socks(proxy, ws_uri, kwargs)
        _, connection = await loop.create_connection(factory, sock=sock, **_inner_kwargs(kwargs))
        return connection

    inner = _inner_kwargs(kwargs)
    outer = {
        (name[len(PROXY_PREFIX) :] if name.startswith(PROXY_PREFIX) else name): value
        for name, value in kwargs.items()
        if not name.startswith(INNER_PREFIXES)
    }
    if proxy.scheme == "https":
        outer.setdefault("ssl", True)
        if outer["ssl"] is None:
            raise ValueError("proxy_ssl=None is incompatible with an https:// proxy")
        outer.setdefault("server_hostname", proxy.host)
    elif "ssl" in outer:
        raise ValueError("proxy_ssl argument is incompatible with an http:// proxy")

    transport, tunnel = await loop.create_connection(
        lambda: HTTPProxyTunnel(prepare_connect_request(proxy, ws_uri, user_agent_header)),
        proxy.host,
        proxy.port,
        **outer,
    )
    try:
        await tunnel.response
    except BaseException:
        transport.abort()
        raise

    connection = factory()
    transport.set_protocol(connection)
    if ws_uri.secure:
        ssl = inner.get("ssl", True)
        if ssl is True:
            ssl = ssl_module.create_default_context()
        try:
            transport = await loop.start_tls(
                transport,
                connection,
                ssl,
                server_hostname=inner.get("server_hostname", ws_uri.host),
            )
        except BaseException:
            transport.abort()
            raise
    connection.connection_made(transport)
    return connection


def _inner_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in kwargs.items() if name.startswith(INNER_PREFIXES)}


async def _connect_socks(proxy: Proxy, ws_uri: WebSocketURI, kwargs: dict[str, Any]) -> Any:
    settings = socks_proxy_settings(proxy)
    from python_socks.async_.asyncio import Proxy as SocksProxy

    socks_proxy = SocksProxy(**settings)
    options = {}
    if "local_addr" in kwargs:
        options["local_addr"] = kwargs["local_addr"]
    try:
        return await socks_proxy.connect(ws_uri.host, ws_uri.port, **options)
    except OSError:
        raise
    except Exception as exc:
        raise ProxyError("failed to connect to SOCKS proxy") from exc


class HTTPProxyTunnel(asyncio.Protocol):
    """Send ``CONNECT`` and wait for the proxy's answer; the tunnel is open on a 2xx."""

    def __init__(self, request: bytes) -> None:
        self.request = request
        self.reader = StreamReader()
        self.parser = Response.parse(
            self.reader.read_line, self.reader.read_exact, self.reader.read_to_eof, proxy=True
        )
        next(self.parser)
        self.response: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.reader.feed_data(data)
        self._step()

    def eof_received(self) -> None:
        if not self.reader.eof:
            self.reader.feed_eof()
            self._step()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.reader.eof:
            self.reader.feed_eof()
            self._step()

    def _step(self) -> None:
        if self.response.done():
            return
        try:
            next(self.parser)
        except StopIteration as done:
            response: Response = done.value
            if 200 <= response.status_code < 300:
                self.response.set_result(None)
            else:
                self.response.set_exception(InvalidProxyStatus(response))
        except Exception as exc:
            error = InvalidProxyMessage("did not receive a valid HTTP response from proxy")
            error.__cause__ = exc
            self.response.set_exception(error)
