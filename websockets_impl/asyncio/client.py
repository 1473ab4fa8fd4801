"""WebSocket client for asyncio: :func:`connect`, :func:`unix_connect` and their connection."""

from __future__ import annotations

import asyncio
import logging
import os
import urllib.parse
from collections.abc import AsyncIterator, Callable, Generator, Sequence
from types import TracebackType
from typing import Any

from ..client import ClientProtocol, Retries, backoff, process_exception
from ..datastructures import Headers, HeadersLike
from ..exceptions import InvalidStatus, SecurityError
from ..extensions.base import ClientExtensionFactory
from ..extensions.permessage_deflate import enable_client_permessage_deflate
from ..headers import validate_subprotocols
from ..http11 import USER_AGENT, Response
from ..protocol import Event
from ..proxy import get_proxy, parse_proxy
from ..typing import LoggerLike, Origin, PathLike, Subprotocol
from ..uri import WebSocketURI, parse_uri
from .connection import Connection
from .proxy_connect import connect_through_proxy

__all__ = ["ClientConnection", "connect", "unix_connect"]

MAX_REDIRECTS = int(os.environ.get("WEBSOCKETS_MAX_REDIRECTS", "10"))

REDIRECT_STATUSES = frozenset({300, 301, 302, 303, 307, 308})

# Sent to the redirect target only when it has the same origin as the original URI.
CREDENTIAL_HEADERS = ("Authorization", "Cookie", "Proxy-Authorization")


class ClientConnection(Connection):
    """Client side of a WebSocket connection, returned by :func:`connect`."""

    def __init__(
        self,
        protocol: ClientProtocol,
        *,
        ping_interval: float | None = 20,
        ping_timeout: float | None = 20,
        close_timeout: float | None = 10,
        max_queue: int | tuple[int | None, int | None] | None = 16,
        write_limit: int | tuple[int, int | None] = 2**15,
    ) -> None:
        self.protocol: ClientProtocol
        super().__init__(
            protocol,
            ping_interval=ping_interval,
            ping_timeout=ping_timeout,
            close_timeout=close_timeout,
            max_queue=max_queue,
            write_limit=write_limit,
        )
        self.response_rcvd: asyncio.Future[None] = self.loop.create_future()

    async def handshake(
        self,
        additional_headers: HeadersLike | None = None,
        user_agent_header: str | None = USER_AGENT,
    ) -> None:
        """Perform the opening handshake.

        Raises:
            InvalidHandshake: the server rejected or botched the handshake.

        """
        self.request = self.protocol.connect()
        if additional_headers is not None:
            self.request.headers.update(additional_headers)
        if user_agent_header is not None:
            self.request.headers.setdefault("User-Agent", user_agent_header)
        self.protocol.send_request(self.request)
        self.send_data()
        await self.response_rcvd
        if self.protocol.handshake_exc is not None:
            raise self.protocol.handshake_exc

    def process_event(self, event: Event) -> None:
        if isinstance(event, Response):
            self.response = event
            if not self.response_rcvd.done():
                self.response_rcvd.set_result(None)
        else:
            super().process_event(event)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        # An unparsable response produces no Response event, only handshake_exc.
        if self.protocol.handshake_exc is not None and not self.response_rcvd.done():
            self.response_rcvd.set_result(None)

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        if not self.response_rcvd.done():
            self.response_rcvd.set_result(None)


class connect:
    """Connect to the WebSocket server at ``uri``.

    Use it as ``async with connect(...) as websocket``, as
    ``websocket = await connect(...)``, or as ``async for websocket in connect(...)``
    to reconnect automatically with exponential backoff. When reconnecting,
    ``process_exception(exc)`` decides: it returns ``None`` to retry, or an
    exception to raise.

    Keyword arguments not listed go to :meth:`~asyncio.loop.create_connection`,
    e.g. ``ssl``, ``sock``, ``server_hostname``, or ``host`` and ``port`` to
    override the TCP destination; ``proxy_*`` arguments go to the connection to
    an HTTP(S) proxy. ``proxy=True`` takes the proxy from the environment
    (``https_proxy``, ``no_proxy``...), a string names one (``http://``, ``https://``,
    ``socks5h://``...), ``None`` disables proxies.

    """

    def __init__(
        self,
        uri: str,
        *,
        origin: Origin | None = None,
        extensions: Sequence[ClientExtensionFactory] | None = None,
        subprotocols: Sequence[Subprotocol] | None = None,
        compression: str | None = "deflate",
        additional_headers: HeadersLike | None = None,
        user_agent_header: str | None = USER_AGENT,
        proxy: str | bool | None = True,
        process_exception: Callable[[Exception], Exception | None] = process_exception,
        open_timeout: float | None = 10,
        ping_interval: float | None = 20,
        ping_timeout: float | None = 20,
        close_timeout: float | None = 10,
        reconnect_delays: Callable[[], Generator[float]] = backoff,
        max_size: int | tuple[int | None, int | None] | None = 2**20,
        max_queue: int | tuple[int | None, int | None] | None = 16,
        write_limit: int | tuple[int, int | None] = 2**15,
        logger: LoggerLike | None = None,
        create_connection: type[ClientConnection] | None = None,
        **kwargs: Any,
    ) -> None:
        if subprotocols is not None:
            validate_subprotocols(subprotocols)
        if compression == "deflate":
            extensions = enable_client_permessage_deflate(extensions)
        elif compression is not None:
            raise ValueError(f"unsupported compression: {compression}")
        self.uri = uri
        self.origin = origin
        self.extensions = extensions
        self.subprotocols = subprotocols
        self.additional_headers = additional_headers
        self.user_agent_header = user_agent_header
        self.proxy = proxy
        self.process_exception = process_exception
        self.open_timeout = open_timeout
        self.reconnect_delays = reconnect_delays
        self.max_size = max_size
        self.logger: LoggerLike = logger or logging.getLogger("websockets.client")
        self.connection_factory = create_connection or ClientConnection
        self.connection_options: dict[str, Any] = {
            "ping_interval": ping_interval,
            "ping_timeout": ping_timeout,
            "close_timeout": close_timeout,
            "max_queue": max_queue,
            "write_limit": write_limit,
        }
        # unix_connect() passes these two; they aren't part of the public signature.
        self.unix: bool = kwargs.pop("unix", False)
        self.path: PathLike | None = kwargs.pop("path", None)
        self.transport_kwargs = kwargs
        self.connection: ClientConnection | None = None

    def _make_protocol(self, ws_uri: WebSocketURI) -> ClientProtocol:
        return ClientProtocol(
            ws_uri,
            origin=self.origin,
            extensions=self.extensions,
            subprotocols=self.subprotocols,
            max_size=self.max_size,
            logger=self.logger,
        )

    async def create_connection(self) -> ClientConnection:
        """Open the TCP (or Unix) connection, with TLS for ``wss://``; no handshake yet."""
        ws_uri = parse_uri(self.uri)
        kwargs = dict(self.transport_kwargs)
        if ws_uri.secure:
            if "ssl" not in kwargs:
                kwargs["ssl"] = True
            elif kwargs["ssl"] is None:
                raise ValueError("ssl=None is incompatible with a wss:// URI")
            kwargs.setdefault("server_hostname", ws_uri.host)
        elif kwargs.get("ssl") is not None:
            raise ValueError("ssl argument is incompatible with a ws:// URI")

        def factory() -> ClientConnection:
            return self.connection_factory(self._make_protocol(ws_uri), **self.connection_options)

        loop = asyncio.get_running_loop()
        if self.unix:
            # With both path and sock, or neither, asyncio says what's wrong.
            path = None if self.path is None else os.fspath(self.path)
            _, connection = await loop.create_unix_connection(factory, path, **kwargs)
        elif kwargs.get("sock") is None and (proxy := self._proxy_for(ws_uri)) is not None:
            connection = await connect_through_proxy(
                parse_proxy(proxy), ws_uri, factory, kwargs, self.user_agent_header
            )
        elif kwargs.get("sock") is None:
            host = kwargs.pop("host", ws_uri.host)
            port = kwargs.pop("port", ws_uri.port)
            _, connection = await loop.create_connection(factory, host, port, **kwargs)
        else:
            kwargs.pop("host", None)
            kwargs.pop("port", None)
            _, connection = await loop.create_connection(factory, **kwargs)
        return connection

    def _proxy_for(self, ws_uri: WebSocketURI) -> str | None:
        """The proxy URI to go through: ``proxy=True`` reads it from the environment."""
        if self.proxy is True:
            return get_proxy(ws_uri)
        if self.proxy is False:
            return None
        return self.proxy

    def process_redirect(self, exc: Exception) -> Exception | str:
        """Return the URI to follow if ``exc`` is a redirect, else the exception to raise.

        Credentials in headers are dropped when the redirect leaves the origin.

        """
        if not (
            isinstance(exc, InvalidStatus)
            and exc.response.status_code in REDIRECT_STATUSES
            and "Location" in exc.response.headers
        ):
            return exc
        old_ws_uri = parse_uri(self.uri)
        new_uri = urllib.parse.urljoin(self.uri, exc.response.headers["Location"])
        new_ws_uri = parse_uri(new_uri)
        if self.transport_kwargs.get("sock") is not None:
            return ValueError(f"cannot follow redirect to {new_uri} with a preexisting socket")
        if old_ws_uri.secure and not new_ws_uri.secure:
            return SecurityError(f"cannot follow redirect to non-secure URI {new_uri}")
        same_origin = (old_ws_uri.secure, old_ws_uri.host, old_ws_uri.port) == (
            new_ws_uri.secure,
            new_ws_uri.host,
            new_ws_uri.port,
        )
        if not same_origin and self.unix:
            return ValueError(
                f"cannot follow cross-origin redirect to {new_uri} with a Unix socket"
            )
        if not same_origin and ("host" in self.transport_kwargs or "port" in self.transport_kwargs):
            return ValueError(
                f"cannot follow cross-origin redirect to {new_uri} with an explicit host or port"
            )
        if not same_origin and self.additional_headers is not None:
            headers = Headers(self.additional_headers)
            for name in CREDENTIAL_HEADERS:
                del headers[name]
            self.additional_headers = headers
        return new_uri

    async def connect(self) -> ClientConnection:
        """Open a connection and perform the opening handshake, following redirects."""
        try:
            async with asyncio.timeout(self.open_timeout):
                # Like upstream, MAX_REDIRECTS bounds the attempts, the first one included.
                for _ in range(MAX_REDIRECTS):
                    connection = await self.create_connection()
                    try:
                        await connection.handshake(self.additional_headers, self.user_agent_header)
                    except asyncio.CancelledError:
                        connection.transport.abort()
                        raise
                    except Exception as exc:
                        connection.transport.close()
                        redirect = self.process_redirect(exc)
                        if isinstance(redirect, Exception):
                            if redirect is exc:
                                raise
                            raise redirect from exc
                        self.uri = redirect
                        continue
                    connection.opened()
                    return connection
                raise SecurityError(f"more than {MAX_REDIRECTS} redirects")
        except TimeoutError as exc:
            raise TimeoutError("timed out during opening handshake") from exc

    def __await__(self) -> Generator[Any, None, ClientConnection]:
        return self.connect().__await__()

    async def __aenter__(self) -> ClientConnection:
        if self.connection is not None:
            raise RuntimeError("connect() isn't reentrant")
        self.connection = await self.connect()
        await self.connection.__aenter__()
        return self.connection

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self.connection is not None
        connection, self.connection = self.connection, None
        await connection.__aexit__(exc_type, exc_value, traceback)

    async def __aiter__(self) -> AsyncIterator[ClientConnection]:
        retries = Retries(self.process_exception, self.reconnect_delays, self.logger)
        while True:
            try:
                connection = await self.connect()
            except Exception as exc:
                await asyncio.sleep(retries.after_failure(exc))
                continue
            # Back off from scratch after each successful connection.
            retries.after_success()
            self.connection = connection
            try:
                yield connection
            finally:
                await connection.close()


def unix_connect(
    path: PathLike | None = None,
    uri: str | None = None,
    **kwargs: Any,
) -> connect:
    """Connect to a WebSocket server listening on the Unix socket ``path``.

    ``uri`` defaults to ``ws://localhost/``, or ``wss://localhost/`` when ``ssl``
    is given. Other arguments are those of :func:`connect`.

    """
    if uri is None:
        uri = "ws://localhost/" if kwargs.get("ssl") is None else "wss://localhost/"
    return connect(uri=uri, unix=True, path=path, **kwargs)
