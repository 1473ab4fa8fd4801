"""The legacy server: :func:`serve`, :func:`unix_serve`, :class:`WebSocketServer`,
:class:`WebSocketServerProtocol`, and :func:`broadcast` re-exported."""

from __future__ import annotations

import asyncio
import email.utils
import functools
import http
import inspect
import logging
import socket
import warnings
from collections.abc import Awaitable, Callable, Generator, Sequence
from types import TracebackType
from typing import Any, TypeAlias

from ..datastructures import Headers, HeadersLike, MultipleValuesError
from ..exceptions import (
    InvalidHandshake,
    InvalidHeader,
    InvalidMessage,
    InvalidOrigin,
    InvalidUpgrade,
    NegotiationError,
)
from ..extensions import Extension, ServerExtensionFactory
from ..extensions.permessage_deflate import enable_server_permessage_deflate
from ..headers import build_extension, parse_extension, parse_subprotocol, validate_subprotocols
from ..http11 import SERVER
from ..protocol import State
from ..typing import LoggerLike, Origin, StatusLike, Subprotocol
from .exceptions import AbortHandshake
from .handshake import build_response, check_request
from .http import read_request
from .protocol import WebSocketCommonProtocol, broadcast, pop_deprecated_arguments

__all__ = [
    "Serve",
    "WebSocketServer",
    "WebSocketServerProtocol",
    "broadcast",
    "serve",
    "unix_serve",
]

HeadersLikeOrCallable: TypeAlias = HeadersLike | Callable[[str, Headers], HeadersLike]
HTTPResponse: TypeAlias = tuple[StatusLike, HeadersLike, bytes]
Handler: TypeAlias = Callable[["WebSocketServerProtocol"], Awaitable[Any]]

BROWSER_HINT = (
    "You cannot access a WebSocket server directly with a browser. You need a WebSocket client."
)


class WebSocketServerProtocol(WebSocketCommonProtocol):
    """The server side of a connection; see :class:`WebSocketCommonProtocol`.

    :func:`serve` creates one per TCP connection. It performs the opening
    handshake, runs ``ws_handler`` with itself, then closes the connection:
    with 1000 if the handler returns, 1011 if it raises.
    """

    is_client = False
    side = "server"

    def __init__(
        self,
        ws_handler: Handler | Callable[[WebSocketServerProtocol, str], Awaitable[Any]],
        ws_server: WebSocketServer,
        *,
        logger: LoggerLike | None = None,
        origins: Sequence[Origin | None] | None = None,
        extensions: Sequence[ServerExtensionFactory] | None = None,
        subprotocols: Sequence[Subprotocol] | None = None,
        extra_headers: HeadersLikeOrCallable | None = None,
        server_header: str | None = SERVER,
        process_request: Callable[[str, Headers], Awaitable[HTTPResponse | None]] | None = None,
        select_subprotocol: Callable[
            [Sequence[Subprotocol], Sequence[Subprotocol]], Subprotocol | None
        ]
        | None = None,
        open_timeout: float | None = 10,
        **kwargs: Any,
    ) -> None:
        if logger is None:
            logger = logging.getLogger("websockets.server")
        super().__init__(logger=logger, **kwargs)
        self.ws_handler = remove_path_argument(ws_handler)
        self.ws_server = ws_server
        self.origins = clean_origins(origins)
        self.origin: Origin | None = None
        self.available_extensions = extensions
        self.available_subprotocols = subprotocols
        self.extra_headers = extra_headers
        self.server_header = server_header
        self._process_request = process_request
        self._select_subprotocol = select_subprotocol
        self.open_timeout = open_timeout

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        # Register before the handshake so the server can wait for this handler.
        self.ws_server.register(self)
        self.handler_task = self.loop.create_task(self.handler())

    async def handler(self) -> None:
        """Run the opening handshake, the connection handler, then the closing handshake."""
        try:
            try:
                async with asyncio.timeout(self.open_timeout):
                    await self.handshake(
                        origins=self.origins,
                        available_extensions=self.available_extensions,
                        available_subprotocols=self.available_subprotocols,
                        extra_headers=self.extra_headers,
                    )
            except (ConnectionError, TimeoutError):
                # The client left or stalled: there's nobody to answer.
                await self.close_transport()
                return
            except Exception as exc:
                status, headers, body = self.handshake_failure_response(exc)
                self.write_http_response(status, headers, body)
                self.logger.info("connection rejected (%d %s)", status.value, status.phrase)
                await self.close_transport()
                return

            try:
                await self.ws_handler(self)
            except Exception:
                self.logger.error("connection handler failed", exc_info=True)
                if not self.closed:
                    self.fail_connection(1011)
            try:
                await self.close()
            except Exception as exc:
                # A client that is gone (ConnectionError) isn't worth an error log.
                if not isinstance(exc, ConnectionError):
                    self.logger.error("closing handshake failed", exc_info=True)
                await self.close_transport()
        finally:
            self.ws_server.unregister(self)
            self.logger.info("connection closed")

    def handshake_failure_response(self, exc: Exception) -> tuple[http.HTTPStatus, Headers, bytes]:
        """Build the HTTP response that rejects the handshake because of ``exc``."""
        headers = Headers()
        if isinstance(exc, AbortHandshake):
            status, headers, body = exc.status, exc.headers, exc.body
        elif isinstance(exc, InvalidOrigin):
            if self.debug:
                self.logger.debug("! invalid origin", exc_info=exc)
            status = http.HTTPStatus.FORBIDDEN
            body = f"Failed to open a WebSocket connection: {_describe(exc)}.\n".encode()
        elif isinstance(exc, InvalidUpgrade):
            if self.debug:
                self.logger.debug("! invalid upgrade", exc_info=exc)
            status = http.HTTPStatus.UPGRADE_REQUIRED
            headers["Upgrade"] = "websocket"
            message = f"Failed to open a WebSocket connection: {_describe(exc)}."
            body = f"{message}\n\n{BROWSER_HINT}\n".encode()
        elif isinstance(exc, InvalidHandshake):
            if self.debug:
                self.logger.debug("! invalid handshake", exc_info=exc)
            status = http.HTTPStatus.BAD_REQUEST
            body = f"Failed to open a WebSocket connection: {_describe(exc)}.\n".encode()
        else:
            self.logger.error("opening handshake failed", exc_info=exc)
            status = http.HTTPStatus.INTERNAL_SERVER_ERROR
            body = b"Failed to open a WebSocket connection.\nSee server log for more information.\n"
        _set_default(headers, "Date", email.utils.formatdate(usegmt=True))
        if self.server_header is not None:
            _set_default(headers, "Server", self.server_header)
        _set_default(headers, "Content-Length", str(len(body)))
        _set_default(headers, "Content-Type", "text/plain")
        _set_default(headers, "Connection", "close")
        return status, headers, body

    async def read_http_request(self) -> tuple[str, Headers]:
        """Read the handshake request; return its path and headers.

        Raises InvalidMessage if it isn't a valid HTTP GET request.
        """
        try:
            path, headers = await read_request(self.reader)
        except Exception as exc:
            raise InvalidMessage("did not receive a valid HTTP request") from exc
        if self.debug:
            self.logger.debug("< GET %s HTTP/1.1", path)
            for name, value in headers.raw_items():
                self.logger.debug("< %s: %s", name, value)
        self.path = path
        self.request_headers = headers
        return path, headers

    def write_http_response(
        self, status: http.HTTPStatus, headers: Headers, body: bytes | None = None
    ) -> None:
        """Send the handshake response, and ``body`` if any."""
        self.response_headers = headers
        if self.debug:
            self.logger.debug("> HTTP/1.1 %d %s", status.value, status.phrase)
            for name, value in headers.raw_items():
                self.logger.debug("> %s: %s", name, value)
            if body is not None:
                self.logger.debug("> [body] (%d bytes)", len(body))
        status_line = f"HTTP/1.1 {status.value} {status.phrase}\r\n".encode()
        self.transport.write(status_line + headers.serialize())
        if body is not None:
            self.transport.write(body)

    async def process_request(self, path: str, request_headers: Headers) -> HTTPResponse | None:
        """Intercept the handshake request; return ``(status, headers, body)`` to answer it.

        Returning ``None`` continues the handshake. By default this calls the
        ``process_request`` argument of :func:`serve`, if any. Overrides must be
        coroutines; plain functions still work but are deprecated.
        """
        if self._process_request is None:
            return None
        response = self._process_request(path, request_headers)
        if isinstance(response, Awaitable):
            return await response
        warnings.warn("declare process_request as a coroutine", DeprecationWarning, stacklevel=2)
        return response

    @staticmethod
    def process_origin(
        headers: Headers, origins: Sequence[Origin | None] | None = None
    ) -> Origin | None:
        """Check the Origin header against ``origins``; ``None`` in it allows no header.

        Raises InvalidOrigin if it isn't allowed.
        """
        try:
            origin = headers.get("Origin")
        except MultipleValuesError as exc:
            raise InvalidHeader("Origin", "multiple values") from exc
        if origins is not None and origin not in origins:
            raise InvalidOrigin(origin)
        return Origin(origin) if origin is not None else None

    @staticmethod
    def process_extensions(
        headers: Headers,
        available_extensions: Sequence[ServerExtensionFactory] | None,
    ) -> tuple[str | None, list[Extension]]:
        """Accept the extensions the client offered that a factory agrees to, in its order.

        Return the Sec-WebSocket-Extensions response header (``None`` if there's
        none) and the accepted extensions.
        """
        accepted: list[Extension] = []
        response_params_list = []
        header_values = headers.get_all("Sec-WebSocket-Extensions")
        if header_values and available_extensions:
            for header_value in header_values:
                for name, request_params in parse_extension(header_value):
                    for factory in available_extensions:
                        if factory.name != name:
                            continue
                        try:
                            response_params, extension = factory.process_request_params(
                                request_params, accepted
                            )
                        except NegotiationError:
                            continue
                        response_params_list.append((name, response_params))
                        accepted.append(extension)
                        break
        if not response_params_list:
            return None, accepted
        return build_extension(response_params_list), accepted

    def process_subprotocol(
        self,
        headers: Headers,
        available_subprotocols: Sequence[Subprotocol] | None,
    ) -> Subprotocol | None:
        """Pick a subprotocol among those the client offered, with :meth:`select_subprotocol`."""
        header_values = headers.get_all("Sec-WebSocket-Protocol")
        if not (header_values and available_subprotocols):
            return None
        client_subprotocols = [
            subprotocol for value in header_values for subprotocol in parse_subprotocol(value)
        ]
        return self.select_subprotocol(client_subprotocols, available_subprotocols)

    def select_subprotocol(
        self,
        client_subprotocols: Sequence[Subprotocol],
        server_subprotocols: Sequence[Subprotocol],
    ) -> Subprotocol | None:
        """Pick the subprotocol both sides prefer most, or ``None`` if they share none.

        Calls the ``select_subprotocol`` argument of :func:`serve` if there's one.
        Otherwise preferences are averaged: the winner has the lowest sum of its
        positions in both lists; ties go to the client's preference.
        """
        if self._select_subprotocol is not None:
            return self._select_subprotocol(client_subprotocols, server_subprotocols)
        common = set(client_subprotocols) & set(server_subprotocols)
        if not common:
            return None

        def rank(subprotocol: Subprotocol) -> tuple[int, int]:
            client_index = client_subprotocols.index(subprotocol)
            return client_index + server_subprotocols.index(subprotocol), client_index

        return min(common, key=rank)

    async def handshake(
        self,
        origins: Sequence[Origin | None] | None = None,
        available_extensions: Sequence[ServerExtensionFactory] | None = None,
        available_subprotocols: Sequence[Subprotocol] | None = None,
        extra_headers: HeadersLikeOrCallable | None = None,
    ) -> str:
        """Perform the server side of the opening handshake; return the request path.

        Raises AbortHandshake to answer with another response (``process_request``,
        or 503 while the server shuts down), InvalidHandshake if the request is invalid.
        """
        path, request_headers = await self.read_http_request()

        early_response_awaitable = self.process_request(path, request_headers)
        if isinstance(early_response_awaitable, Awaitable):
            early_response = await early_response_awaitable
        else:
            warnings.warn(
                "declare process_request as a coroutine", DeprecationWarning, stacklevel=2
            )
            early_response = early_response_awaitable
        if self.state is State.CLOSED:
            # The client left while process_request was running.
            raise BrokenPipeError("connection closed during opening handshake")
        if self.ws_server.closing:
            early_response = (
                http.HTTPStatus.SERVICE_UNAVAILABLE,
                [],
                b"Server is shutting down.\n",
            )
        if early_response is not None:
            raise AbortHandshake(*early_response)

        key = check_request(request_headers)
        self.origin = self.process_origin(request_headers, origins)
        extensions_header, self.extensions = self.process_extensions(
            request_headers, available_extensions
        )
        self.subprotocol = self.process_subprotocol(request_headers, available_subprotocols)

        response_headers = Headers()
        build_response(response_headers, key)
        if extensions_header is not None:
            response_headers["Sec-WebSocket-Extensions"] = extensions_header
        if self.subprotocol is not None:
            response_headers["Sec-WebSocket-Protocol"] = self.subprotocol
        if callable(extra_headers):
            extra_headers = extra_headers(path, request_headers)
        if extra_headers is not None:
            response_headers.update(extra_headers)
        _set_default(response_headers, "Date", email.utils.formatdate(usegmt=True))
        if self.server_header is not None:
            _set_default(response_headers, "Server", self.server_header)

        self.write_http_response(http.HTTPStatus.SWITCHING_PROTOCOLS, response_headers)
        self.logger.info("connection open")
        self.connection_open()
        return path


class WebSocketServer:
    """A running server, returned by :func:`serve`.

    ``websockets`` is the set of its connections, including those still in
    the opening handshake.
    """

    server: asyncio.Server
    closed_waiter: asyncio.Future[None]

    def __init__(self, logger: LoggerLike | None = None) -> None:
        if logger is None:
            logger = logging.getLogger("websockets.server")
        self.logger = logger
        self.websockets: set[WebSocketServerProtocol] = set()
        self.close_task: asyncio.Task[None] | None = None

    def wrap(self, server: asyncio.Server) -> None:
        """Attach the :class:`asyncio.Server` that accepts the connections."""
        self.server = server
        for sock in server.sockets:
            self.logger.info("server listening on %s", _format_address(sock.getsockname()))
        self.closed_waiter = server.get_loop().create_future()

    def register(self, protocol: WebSocketServerProtocol) -> None:
        self.websockets.add(protocol)

    def unregister(self, protocol: WebSocketServerProtocol) -> None:
        self.websockets.discard(protocol)

    @property
    def closing(self) -> bool:
        """True once :meth:`close` was called."""
        return self.close_task is not None

    def close(self, close_connections: bool = True) -> None:
        """Stop accepting connections and close the server in the background.

        Open connections are closed with 1001 if ``close_connections``; those in
        the opening handshake get a 503. :meth:`wait_closed` waits for the end,
        which includes every connection handler returning.
        """
        if self.close_task is None:
            self.close_task = self.get_loop().create_task(self._close(close_connections))

    async def _close(self, close_connections: bool) -> None:
        self.logger.info("server closing")
        self.server.close()
        # Let connections accepted just before close() register themselves.
        await asyncio.sleep(0)
        if close_connections:
            closing = [
                asyncio.create_task(websocket.close(1001))
                for websocket in self.websockets
                if websocket.state is not State.CONNECTING
            ]
            if closing:
                await asyncio.wait(closing)
        handlers = [websocket.handler_task for websocket in self.websockets]
        if handlers:
            await asyncio.wait(handlers)
        await self.server.wait_closed()
        self.closed_waiter.set_result(None)
        self.logger.info("server closed")

    async def wait_closed(self) -> None:
        """Wait until the server is closed and every connection handler returned."""
        await asyncio.shield(self.closed_waiter)

    def get_loop(self) -> asyncio.AbstractEventLoop:
        return self.server.get_loop()

    def is_serving(self) -> bool:
        return self.server.is_serving()

    async def start_serving(self) -> None:
        """Start accepting connections, for a server created with ``start_serving=False``."""
        await self.server.start_serving()

    async def serve_forever(self) -> None:
        """Accept connections until cancelled.

        Cancelling stops listening but leaves open connections alone; :meth:`close`
        (or leaving ``async with serve(...)``) closes them.
        """
        await self.server.serve_forever()

    @property
    def sockets(self) -> tuple[socket.socket, ...]:
        """The listening sockets."""
        return self.server.sockets

    async def __aenter__(self) -> WebSocketServer:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
        await self.wait_closed()


class Serve:
    """Start a WebSocket server on ``host`` and ``port``: ``serve(ws_handler, host, port)``.

    Await it for the :class:`WebSocketServer`, or use it as an async context
    manager that closes the server on exit. Extra keyword arguments go to
    :meth:`~asyncio.loop.create_server`.
    """

    def __init__(
        self,
        ws_handler: Handler | Callable[[WebSocketServerProtocol, str], Awaitable[Any]],
        host: str | Sequence[str] | None = None,
        port: int | None = None,
        *,
        create_protocol: Callable[..., WebSocketServerProtocol] | None = None,
        logger: LoggerLike | None = None,
        compression: str | None = "deflate",
        origins: Sequence[Origin | None] | None = None,
        extensions: Sequence[ServerExtensionFactory] | None = None,
        subprotocols: Sequence[Subprotocol] | None = None,
        extra_headers: HeadersLikeOrCallable | None = None,
        server_header: str | None = SERVER,
        process_request: Callable[[str, Headers], Awaitable[HTTPResponse | None]] | None = None,
        select_subprotocol: Callable[
            [Sequence[Subprotocol], Sequence[Subprotocol]], Subprotocol | None
        ]
        | None = None,
        open_timeout: float | None = 10,
        ping_interval: float | None = 20,
        ping_timeout: float | None = 20,
        close_timeout: float | None = None,
        max_size: int | None = 2**20,
        max_queue: int | None = 2**5,
        read_limit: int = 2**16,
        write_limit: int = 2**16,
        **kwargs: Any,
    ) -> None:
        close_timeout, create_protocol, legacy_recv = pop_deprecated_arguments(
            kwargs, close_timeout, create_protocol, WebSocketServerProtocol
        )
        unix: bool = kwargs.pop("unix", False)
        path: str | None = kwargs.pop("path", None)

        # "" in origins warns once per connection, when the protocol is built.
        ws_handler = remove_path_argument(ws_handler, stacklevel=3)

        if compression == "deflate":
            extensions = enable_server_permessage_deflate(extensions)
        elif compression is not None:
            raise ValueError(f"unsupported compression: {compression}")
        if subprotocols is not None:
            validate_subprotocols(subprotocols)

        self.ws_server = WebSocketServer(logger=logger)
        factory = functools.partial(
            create_protocol,
            ws_handler,
            self.ws_server,
            host=host,
            port=port,
            secure=kwargs.get("ssl") is not None,
            open_timeout=open_timeout,
            ping_interval=ping_interval,
            ping_timeout=ping_timeout,
            close_timeout=close_timeout,
            max_size=max_size,
            max_queue=max_queue,
            read_limit=read_limit,
            write_limit=write_limit,
            legacy_recv=legacy_recv,
            origins=origins,
            extensions=extensions,
            subprotocols=subprotocols,
            extra_headers=extra_headers,
            server_header=server_header,
            process_request=process_request,
            select_subprotocol=select_subprotocol,
            logger=logger,
        )
        self._unix = unix
        self._path = path
        self._host = host
        self._port = port
        self._factory = factory
        self._server_kwargs = kwargs

    async def __await_impl__(self) -> WebSocketServer:
        loop = asyncio.get_running_loop()
        if self._unix:
            server = await loop.create_unix_server(self._factory, self._path, **self._server_kwargs)
        else:
            server = await loop.create_server(
                self._factory, self._host, self._port, **self._server_kwargs
            )
        self.ws_server.wrap(server)
        return self.ws_server

    def __await__(self) -> Generator[Any, None, WebSocketServer]:
        return self.__await_impl__().__await__()

    async def __aenter__(self) -> WebSocketServer:
        return await self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.ws_server.close()
        await self.ws_server.wait_closed()


serve = Serve


def unix_serve(
    ws_handler: Handler | Callable[[WebSocketServerProtocol, str], Awaitable[Any]],
    path: str | None = None,
    **kwargs: Any,
) -> Serve:
    """Like :func:`serve`, on the Unix socket at ``path``."""
    return serve(ws_handler, path=path, unix=True, **kwargs)


def remove_path_argument(
    ws_handler: Handler | Callable[[WebSocketServerProtocol, str], Awaitable[Any]],
    stacklevel: int = 3,
) -> Handler:
    """Adapt a deprecated ``handler(ws, path)`` to ``handler(ws)``, warning once.

    A handler that can be called with one argument is returned unchanged.
    """
    try:
        signature = inspect.signature(ws_handler)
    except (TypeError, ValueError):
        return ws_handler  # type: ignore[return-value]
    try:
        signature.bind(None)
    except TypeError:
        try:
            signature.bind(None, "")
        except TypeError:
            # Neither form fits: let the call fail with the usual TypeError.
            return ws_handler  # type: ignore[return-value]
        warnings.warn(
            "remove second argument of ws_handler", DeprecationWarning, stacklevel=stacklevel
        )
        two_arguments = ws_handler

        # No functools.wraps: inspect.signature() would see the two arguments again.
        async def handler(websocket: WebSocketServerProtocol) -> Any:
            return await two_arguments(websocket, websocket.path)  # type: ignore[call-arg]

        return handler
    return ws_handler  # type: ignore[return-value]


def clean_origins(
    origins: Sequence[Origin | None] | None, stacklevel: int = 4
) -> Sequence[Origin | None] | None:
    """Replace the deprecated ``""`` in ``origins`` with ``None``, warning."""
    if origins is None or "" not in origins:
        return origins
    warnings.warn("use None instead of '' in origins", DeprecationWarning, stacklevel=stacklevel)
    return [None if origin == "" else origin for origin in origins]


def _describe(exc: Exception) -> str:
    # The cause says what exactly was wrong, e.g. which HTTP method was refused.
    if exc.__cause__ is None:
        return str(exc)
    return f"{exc}; {exc.__cause__}"


def _set_default(headers: Headers, name: str, value: str) -> None:
    # MutableMapping.setdefault would raise MultipleValuesError on repeated names.
    if name not in headers:
        headers[name] = value


def _format_address(address: Any) -> str:
    if isinstance(address, tuple):
        host, port = address[0], address[1]
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return str(address)
