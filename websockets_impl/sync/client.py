"""WebSocket client for the threading implementation: :func:`connect`, :func:`unix_connect`."""

from __future__ import annotations

import logging
import os
import socket
import ssl as ssl_module
import time
import urllib.parse
import warnings
from collections.abc import Callable, Generator, Iterator, Sequence
from types import TracebackType
from typing import Any

from ..client import ClientProtocol, Retries, backoff, process_exception
from ..datastructures import Headers, HeadersLike
from ..exceptions import (
    InvalidProxyMessage,
    InvalidProxyStatus,
    InvalidStatus,
    ProxyError,
    SecurityError,
)
from ..extensions.base import ClientExtensionFactory
from ..extensions.permessage_deflate import enable_client_permessage_deflate
from ..headers import validate_subprotocols
from ..http11 import USER_AGENT, Response
from ..protocol import CONNECTING, Event
from ..proxy import (
    SOCKS_SCHEMES,
    Proxy,
    get_proxy,
    parse_proxy,
    prepare_connect_request,
    socks_proxy_settings,
)
from ..streams import StreamReader
from ..typing import LoggerLike, Origin, PathLike, Subprotocol
from ..uri import WebSocketURI, parse_uri
from .connection import Connection
from .tls import SSLInSSLSocket
from .utils import Deadline

__all__ = ["ClientConnection", "connect", "reconnect", "unix_connect", "unix_reconnect"]

MAX_REDIRECTS = int(os.environ.get("WEBSOCKETS_MAX_REDIRECTS", "10"))
REDIRECT_STATUSES = frozenset({300, 301, 302, 303, 307, 308})
# Sent to the redirect target only when it has the same origin as the original URI.
CREDENTIAL_HEADERS = ("Authorization", "Cookie", "Proxy-Authorization")


class ClientConnection(Connection):
    """Client side of a WebSocket connection, returned by :func:`connect`."""

    def __init__(
        self,
        socket: socket.socket,
        protocol: ClientProtocol,
        *,
        ping_interval: float | None = 20,
        ping_timeout: float | None = 20,
        close_timeout: float | None = 10,
        max_queue: int | tuple[int | None, int | None] | None = 16,
    ) -> None:
        self.protocol: ClientProtocol
        super().__init__(
            socket,
            protocol,
            ping_interval=ping_interval,
            ping_timeout=ping_timeout,
            close_timeout=close_timeout,
            max_queue=max_queue,
        )

    def handshake(
        self,
        additional_headers: HeadersLike | None = None,
        user_agent_header: str | None = USER_AGENT,
        timeout: float | None = None,
    ) -> None:
        """Perform the opening handshake.

        Raises:
            InvalidHandshake: the server rejected or botched the handshake.
            TimeoutError: no response arrived within ``timeout`` seconds.

        """
        with self.send_context(expected_state=CONNECTING):
            self.request = self.protocol.connect()
            if additional_headers is not None:
                self.request.headers.update(additional_headers)
            if user_agent_header is not None:
                self.request.headers.setdefault("User-Agent", user_agent_header)
            self.protocol.send_request(self.request)
        if not self.handshake_rcvd.wait(timeout):
            raise TimeoutError("timed out while waiting for handshake response")
        if self.protocol.handshake_exc is not None:
            raise self.protocol.handshake_exc

    def process_event(self, event: Event) -> None:
        if isinstance(event, Response):
            self.response = event
            self.handshake_rcvd.set()
        else:
            super().process_event(event)


def connect(
    uri: str,
    *,
    sock: socket.socket | None = None,
    ssl: ssl_module.SSLContext | None = None,
    server_hostname: str | None = None,
    origin: Origin | None = None,
    extensions: Sequence[ClientExtensionFactory] | None = None,
    subprotocols: Sequence[Subprotocol] | None = None,
    compression: str | None = "deflate",
    additional_headers: HeadersLike | None = None,
    user_agent_header: str | None = USER_AGENT,
    proxy: str | bool | None = True,
    proxy_ssl: ssl_module.SSLContext | None = None,
    proxy_server_hostname: str | None = None,
    open_timeout: float | None = 10,
    ping_interval: float | None = 20,
    ping_timeout: float | None = 20,
    close_timeout: float | None = 10,
    max_size: int | tuple[int | None, int | None] | None = 2**20,
    max_queue: int | tuple[int | None, int | None] | None = 16,
    logger: LoggerLike | None = None,
    create_connection: type[ClientConnection] | None = None,
    **kwargs: Any,
) -> ClientConnection:
    """Connect to the WebSocket server at ``uri`` and return the open connection.

    The TCP connection, the TLS handshake, the proxy tunnel and the opening handshake
    all happen within ``open_timeout`` seconds. Redirects are followed. Keyword
    arguments not listed go to :func:`socket.create_connection`, ``address``
    overriding the TCP destination.

    Raises:
        InvalidURI: ``uri`` isn't a valid WebSocket URI.
        InvalidProxy: ``proxy`` isn't a valid proxy.
        OSError: the TCP connection failed.
        InvalidHandshake: the opening handshake failed.
        TimeoutError: the opening handshake timed out.

    """
    if "ssl_context" in kwargs:
        ssl = kwargs.pop("ssl_context")
        warnings.warn("ssl_context was renamed to ssl", DeprecationWarning, stacklevel=2)
    if subprotocols is not None:
        validate_subprotocols(subprotocols)
    if compression == "deflate":
        extensions = enable_client_permessage_deflate(extensions)
    elif compression is not None:
        raise ValueError(f"unsupported compression: {compression}")
    unix: bool = kwargs.pop("unix", False)
    path: PathLike | None = kwargs.pop("path", None)
    if unix:
        if path is None and sock is None:
            raise ValueError("missing path argument")
        if path is not None and sock is not None:
            raise ValueError("path is incompatible with sock")

    deadline = Deadline(open_timeout)
    headers = additional_headers
    factory = create_connection or ClientConnection
    # Like the asyncio client, MAX_REDIRECTS bounds the attempts, the first one included.
    for _ in range(MAX_REDIRECTS):
        ws_uri = parse_uri(uri)
        if not ws_uri.secure and ssl is not None:
            raise ValueError("ssl argument is incompatible with a ws:// URI")
        proxy_uri = None if unix or sock is not None else _proxy_for(proxy, ws_uri)
        connection_sock = _open_socket(
            ws_uri,
            sock=sock,
            unix=unix,
            path=path,
            proxy_uri=proxy_uri,
            proxy_ssl=proxy_ssl,
            proxy_server_hostname=proxy_server_hostname,
            user_agent_header=user_agent_header,
            deadline=deadline,
            kwargs=kwargs,
        )
        if ws_uri.secure:
            connection_sock = _start_tls(
                connection_sock, ssl, server_hostname or ws_uri.host, deadline
            )
        protocol = ClientProtocol(
            ws_uri,
            origin=origin,
            extensions=extensions,
            subprotocols=subprotocols,
            max_size=max_size,
            logger=logger,
        )
        connection = factory(
            connection_sock,
            protocol,
            ping_interval=ping_interval,
            ping_timeout=ping_timeout,
            close_timeout=close_timeout,
            max_queue=max_queue,
        )
        try:
            connection.handshake(headers, user_agent_header, deadline.timeout())
        except Exception as exc:
            connection.close_socket()
            connection.recv_events_thread.join()
            target = _redirect_target(uri, exc)
            if isinstance(target, Exception):
                if target is exc:
                    raise
                raise target from exc
            if not _same_origin(uri, target) and headers is not None:
                headers = Headers(headers)
                for name in CREDENTIAL_HEADERS:
                    del headers[name]
            uri = target
            # A socket given by the caller can't be reused for another server.
            sock = None
            continue
        connection.opened()
        return connection
    raise SecurityError(f"more than {MAX_REDIRECTS} redirects")


def unix_connect(
    path: PathLike | None = None,
    uri: str | None = None,
    **kwargs: Any,
) -> ClientConnection:
    """Connect to a WebSocket server listening on the Unix socket ``path``.

    ``uri`` defaults to ``ws://localhost/``, or ``wss://localhost/`` when ``ssl`` is
    given. Other arguments are those of :func:`connect`; no proxy is used.

    """
    if uri is None:
        uri = "ws://localhost/" if kwargs.get("ssl") is None else "wss://localhost/"
    return connect(uri=uri, unix=True, path=path, **kwargs)


class reconnect:
    """Connect to ``uri`` again and again, with backoff: ``for ws in reconnect(...)``.

    ``process_exception(exc)`` decides what a failed attempt means: ``None`` to retry,
    or an exception to raise. ``with reconnect(...) as ws`` connects once. Other
    arguments are those of :func:`connect`.

    """

    def __init__(
        self,
        uri: str,
        *,
        process_exception: Callable[[Exception], Exception | None] = process_exception,
        reconnect_delays: Callable[[], Generator[float, None, None]] = backoff,
        **kwargs: Any,
    ) -> None:
        self.uri = uri
        self.process_exception = process_exception
        self.reconnect_delays = reconnect_delays
        self.kwargs = kwargs
        self.logger: LoggerLike = kwargs.get("logger") or logging.getLogger("websockets.client")
        self.connection: ClientConnection | None = None
        self.entered = False

    def __enter__(self) -> ClientConnection:
        if self.entered:
            raise RuntimeError("connect() isn't reentrant")
        self.entered = True
        self.connection = connect(self.uri, **self.kwargs)
        return self.connection

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self.connection is not None
        self.connection.__exit__(exc_type, exc_value, traceback)

    def __iter__(self) -> Iterator[ClientConnection]:
        retries = Retries(self.process_exception, self.reconnect_delays, self.logger)
        while True:
            try:
                connection = connect(self.uri, **self.kwargs)
            except Exception as exc:
                time.sleep(retries.after_failure(exc))
                continue
            # Back off from scratch after each successful connection.
            retries.after_success()
            self.connection = connection
            try:
                yield connection
            finally:
                connection.close()


def unix_reconnect(
    path: PathLike | None = None, uri: str | None = None, **kwargs: Any
) -> reconnect:
    """:class:`reconnect` over the Unix socket ``path``; see :func:`unix_connect`."""
    if uri is None:
        uri = "ws://localhost/" if kwargs.get("ssl") is None else "wss://localhost/"
    return reconnect(uri, unix=True, path=path, **kwargs)


# Opening the socket.


def _proxy_for(proxy: str | bool | None, ws_uri: WebSocketURI) -> str | None:
    if proxy is True:
        return get_proxy(ws_uri)
    if proxy is False or proxy is None:
        return None
    return proxy


def _open_socket(
    ws_uri: WebSocketURI,
    *,
    sock: socket.socket | None,
    unix: bool,
    path: PathLike | None,
    proxy_uri: str | None,
    proxy_ssl: ssl_module.SSLContext | None,
    proxy_server_hostname: str | None,
    user_agent_header: str | None,
    deadline: Deadline,
    kwargs: dict[str, Any],
) -> socket.socket:
    """Connect the TCP or Unix socket, through the proxy if there is one."""
    if sock is None:
        if unix:
            assert path is not None
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.settimeout(deadline.timeout())
                sock.connect(os.fspath(path))
            except BaseException:
                sock.close()
                raise
        elif proxy_uri is not None:
            sock = _connect_proxy(
                parse_proxy(proxy_uri),
                ws_uri,
                proxy_ssl=proxy_ssl,
                proxy_server_hostname=proxy_server_hostname,
                user_agent_header=user_agent_header,
                deadline=deadline,
                kwargs=kwargs,
            )
        else:
            options = dict(kwargs)
            address = options.pop("address", (ws_uri.host, ws_uri.port))
            options.setdefault("timeout", deadline.timeout())
            sock = socket.create_connection(address, **options)
        sock.settimeout(None)
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, True)
    return sock


def _start_tls(
    sock: socket.socket,
    context: ssl_module.SSLContext | None,
    server_hostname: str,
    deadline: Deadline,
) -> socket.socket:
    if context is None:
        context = ssl_module.create_default_context()
    sock.settimeout(deadline.timeout())
    try:
        if isinstance(sock, ssl_module.SSLSocket):
            # TLS through an HTTPS proxy: SSLSocket can't wrap another SSLSocket.
            tls_sock: socket.socket = SSLInSSLSocket(sock, context, server_hostname)
        else:
            tls_sock = context.wrap_socket(sock, server_hostname=server_hostname)
    except BaseException:
        sock.close()
        raise
    tls_sock.settimeout(None)
    return tls_sock


def _connect_proxy(
    proxy: Proxy,
    ws_uri: WebSocketURI,
    *,
    proxy_ssl: ssl_module.SSLContext | None,
    proxy_server_hostname: str | None,
    user_agent_header: str | None,
    deadline: Deadline,
    kwargs: dict[str, Any],
) -> socket.socket:
    if proxy.scheme in SOCKS_SCHEMES:
        return _connect_socks_proxy(proxy, ws_uri, deadline, kwargs)
    if proxy.scheme == "http" and proxy_ssl is not None:
        raise ValueError("proxy_ssl argument is incompatible with an http:// proxy")
    options = dict(kwargs)
    options.setdefault("timeout", deadline.timeout())
    sock = socket.create_connection((proxy.host, proxy.port), **options)
    try:
        if proxy.scheme == "https":
            context = proxy_ssl or ssl_module.create_default_context()
            sock = context.wrap_socket(sock, server_hostname=proxy_server_hostname or proxy.host)
        sock.sendall(prepare_connect_request(proxy, ws_uri, user_agent_header))
        _read_connect_response(sock, deadline)
    except BaseException:
        sock.close()
        raise
    return sock


def _read_connect_response(sock: socket.socket, deadline: Deadline) -> None:
    """Read the proxy's answer to CONNECT byte by byte: what follows belongs to TLS/WS."""
    reader = StreamReader()
    parser = Response.parse(reader.read_line, reader.read_exact, reader.read_to_eof, proxy=True)
    try:
        next(parser)
        while True:
            sock.settimeout(deadline.timeout())
            data = sock.recv(1)
            if data:
                reader.feed_data(data)
            else:
                reader.feed_eof()
            next(parser)
    except StopIteration as done:
        response: Response = done.value
    except TimeoutError as exc:
        raise TimeoutError("timed out while connecting to HTTP proxy") from exc
    except Exception as exc:
        raise InvalidProxyMessage("did not receive a valid HTTP response from proxy") from exc
    if not 200 <= response.status_code < 300:
        raise InvalidProxyStatus(response)


def _connect_socks_proxy(
    proxy: Proxy, ws_uri: WebSocketURI, deadline: Deadline, kwargs: dict[str, Any]
) -> socket.socket:
    settings = socks_proxy_settings(proxy)
    from python_socks.sync import Proxy as SocksProxy

    socks_proxy = SocksProxy(**settings)
    options = {}
    if "source_address" in kwargs:
        options["local_addr"] = kwargs["source_address"]
    try:
        return socks_proxy.connect(ws_uri.host, ws_uri.port, deadline.timeout(), **options)
    except OSError:
        raise
    except Exception as exc:
        raise ProxyError("failed to connect to SOCKS proxy") from exc


# Redirects.


def _redirect_target(uri: str, exc: Exception) -> Exception | str:
    """The URI to follow if ``exc`` is a redirect, else the exception to raise."""
    if not (
        isinstance(exc, InvalidStatus)
        and exc.response.status_code in REDIRECT_STATUSES
        and "Location" in exc.response.headers
    ):
        return exc
    new_uri = urllib.parse.urljoin(uri, exc.response.headers["Location"])
    if parse_uri(uri).secure and not parse_uri(new_uri).secure:
        return SecurityError("cannot follow redirect to non-secure URI")
    return new_uri


def _same_origin(old_uri: str, new_uri: str) -> bool:
    old, new = parse_uri(old_uri), parse_uri(new_uri)
    return (old.secure, old.host, old.port) == (new.secure, new.host, new.port)
