"""WebSocket server for asyncio: :func:`serve`, :func:`unix_serve`, :class:`Server`."""

from __future__ import annotations

import asyncio
import http
import inspect
import logging
from collections.abc import Awaitable, Callable, Generator, Sequence
from re import Pattern
from types import TracebackType
from typing import Any, TypeAlias

from ..extensions.base import ServerExtensionFactory
from ..extensions.permessage_deflate import enable_server_permessage_deflate
from ..headers import validate_subprotocols
from ..http11 import SERVER, Request, Response
from ..protocol import CONNECTING, OPEN, Event
from ..server import ServerProtocol
from ..typing import LoggerLike, Origin, PathLike, StatusLike, Subprotocol
from ..utils import get_socket_name
from .auth import basic_auth
from .broadcast import broadcast
from .connection import Connection

__all__ = ["Server", "ServerConnection", "basic_auth", "broadcast", "serve", "unix_serve"]

HandlerResult: TypeAlias = Response | None
ProcessRequest: TypeAlias = Callable[
    ["ServerConnection", Request], HandlerResult | Awaitable[HandlerResult]
]
ProcessResponse: TypeAlias = Callable[
    ["ServerConnection", Request, Response], HandlerResult | Awaitable[HandlerResult]
]
SelectSubprotocol: TypeAlias = Callable[
    ["ServerConnection", Sequence[Subprotocol]], Subprotocol | None
]

HANDSHAKE_ERROR = "Failed to open a WebSocket connection.\nSee server log for more information.\n"


class ServerConnection(Connection):
    """Server side of a WebSocket connection, passed to the handler given to :func:`serve`."""

    def __init__(
        self,
        protocol: ServerProtocol,
        server: Server,
        *,
        ping_interval: float | None = 20,
        ping_timeout: float | None = 20,
        close_timeout: float | None = 10,
        max_queue: int | tuple[int | None, int | None] | None = 16,
        write_limit: int | tuple[int, int | None] = 2**15,
    ) -> None:
        self.protocol: ServerProtocol
        super().__init__(
            protocol,
            ping_interval=ping_interval,
            ping_timeout=ping_timeout,
            close_timeout=close_timeout,
            max_queue=max_queue,
            write_limit=write_limit,
        )
        self.server = server
        self.open_timer: asyncio.TimerHandle | None = None
        self.username: str
        """Username of the client, set by :func:`basic_auth`."""

    def respond(self, status: StatusLike, text: str) -> Response:
        """Create a plain text HTTP response, for ``process_request`` and ``process_response``."""
        return self.protocol.reject(status, text)

    async def handshake(
        self,
        process_request: ProcessRequest | None = None,
        process_response: ProcessResponse | None = None,
        server_header: str | None = SERVER,
    ) -> bool:
        """Answer the opening handshake request; return whether the connection is open."""
        request = self.request
        assert request is not None
        response = None
        if process_request is not None:
            response = await self._call_hook("process_request", process_request, self, request)
        if self.transport.is_closing():
            return False
        if response is None:
            if self.server.is_serving():
                response = self.protocol.accept(request)
            else:
                response = self.protocol.reject(
                    http.HTTPStatus.SERVICE_UNAVAILABLE, "Server is shutting down.\n"
                )
        if server_header is not None:
            response.headers.setdefault("Server", server_header)
        self.response = response
        if process_response is not None:
            new_response = await self._call_hook(
                "process_response", process_response, self, request, response
            )
            if new_response is not None:
                self.response = new_response
            if self.transport.is_closing():
                return False
        self.protocol.send_response(self.response)
        self.send_data()
        if self.protocol.state is not OPEN:
            # send_response() logged the rejection. Once the response is flushed, this
            # connection is of no further use.
            self.transport.close()
            return False
        if self.open_timer is not None:
            self.open_timer.cancel()
            self.open_timer = None
        return True

    async def _call_hook(self, name: str, hook: Callable[..., Any], *args: Any) -> Response | None:
        """Run ``process_request`` or ``process_response``; turn exceptions into a 500."""
        try:
            result = hook(*args)
            if inspect.isawaitable(result):
                result = await result
        except Exception as exc:
            self.protocol.handshake_exc = exc
            self.logger.error("%s failed", name, exc_info=True)
            return self.protocol.reject(http.HTTPStatus.INTERNAL_SERVER_ERROR, HANDSHAKE_ERROR)
        assert result is None or isinstance(result, Response)
        return result

    def process_event(self, event: Event) -> None:
        if isinstance(event, Request):
            self.request = event
            self.server.start_handler(self)
        else:
            super().process_event(event)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self.server.register(self)
        if self.server.open_timeout is not None:
            self.open_timer = self.loop.call_later(self.server.open_timeout, self._open_timeout)

    def check_not_open(self) -> None:
        protocol = self.protocol
        if protocol.state is CONNECTING and self.request is None and protocol.handshake_exc:
            # The request was malformed or exceeded a limit; the protocol answered it, if
            # it could, and logged it.
            self.transport.close()
        else:
            super().check_not_open()

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        if self.open_timer is not None:
            self.open_timer.cancel()
            self.open_timer = None
        self.server.unregister(self)
        self.logger.info("connection closed")

    def _open_timeout(self) -> None:
        self.open_timer = None
        self.logger.info("opening handshake timed out")
        self.transport.abort()


class Server:
    """WebSocket server returned by :func:`serve`.

    It wraps an :class:`asyncio.Server`, available as :attr:`server` once the
    listening sockets exist, and tracks connections and their handlers.

    """

    def __init__(
        self,
        create_server: Awaitable[asyncio.Server] | None,
        handler: Callable[[ServerConnection], Awaitable[None]],
        logger: LoggerLike | None = None,
        *,
        process_request: ProcessRequest | None = None,
        process_response: ProcessResponse | None = None,
        server_header: str | None = SERVER,
        open_timeout: float | None = 10,
    ) -> None:
        # Made in a coroutine, as upstream requires: outside one this raises RuntimeError
        # ("no running event loop"), where the legacy serve() made its object anyway.
        self.loop = asyncio.get_running_loop()
        self._create_server = create_server
        """Awaited once, by the first ``await`` or ``async with`` (``serve()`` gives it)."""
        self.handler = handler
        self.process_request = process_request
        self.process_response = process_response
        self.server_header = server_header
        self.open_timeout = open_timeout
        self.logger: LoggerLike = logger or logging.getLogger("websockets.server")
        self.server: asyncio.Server
        # Every live TCP connection, from connection_made until its handler (if any) is done.
        self._connections: set[ServerConnection] = set()
        self._handler_tasks: set[asyncio.Task[None]] = set()
        self._close_task: asyncio.Task[None] | None = None
        self._closed_waiter: asyncio.Future[None] = self.loop.create_future()

    def wrap(self, server: asyncio.Server) -> None:
        """Attach the :class:`asyncio.Server` that accepts connections."""
        self.server = server
        for sock in server.sockets:
            self.logger.info("server listening on %s", get_socket_name(sock))

    @property
    def connections(self) -> set[ServerConnection]:
        """Connections that completed the opening handshake and aren't closing."""
        return {c for c in self._connections if c.protocol.state is OPEN}

    def register(self, connection: ServerConnection) -> None:
        self._connections.add(connection)

    def unregister(self, connection: ServerConnection) -> None:
        # A handler may outlive its TCP connection; it unregisters when it finishes.
        if connection.request is None:
            self._connections.discard(connection)

    def start_handler(self, connection: ServerConnection) -> None:
        task = self.loop.create_task(self._handle(connection))
        self._handler_tasks.add(task)
        task.add_done_callback(self._handler_tasks.discard)

    async def _handle(self, connection: ServerConnection) -> None:
        try:
            try:
                opened = await connection.handshake(
                    self.process_request, self.process_response, self.server_header
                )
            except Exception:
                connection.logger.error("opening handshake failed", exc_info=True)
                connection.transport.abort()
                return
            if not opened:
                return
            connection.opened()
            try:
                async with connection:
                    await self.handler(connection)
            except Exception:
                connection.logger.error("connection handler failed", exc_info=True)
        finally:
            self._connections.discard(connection)

    def close(
        self,
        close_connections: bool = True,
        code: int = 1001,
        reason: str = "",
    ) -> None:
        """Stop accepting connections and close the server in the background.

        Open connections are closed with ``code`` and ``reason`` unless
        ``close_connections`` is false; then handlers run until they return.
        Use :meth:`wait_closed` to wait until everything is done.

        """
        if self._close_task is None:
            self._close_task = self.loop.create_task(self._close(close_connections, code, reason))

    async def _close(self, close_connections: bool, code: int, reason: str) -> None:
        self.logger.info("server closing")
        self.server.close()
        # Let connections accepted just before closing run connection_made().
        await asyncio.sleep(0)
        if close_connections:
            closing = []
            for connection in list(self._connections):
                state = connection.protocol.state
                if state is OPEN:
                    closing.append(connection.close(code, reason))
                elif state is CONNECTING and connection.request is None:
                    connection.transport.close()
            if closing:
                await asyncio.gather(*closing, return_exceptions=True)
        if self._handler_tasks:
            await asyncio.wait(self._handler_tasks)
        await self.server.wait_closed()
        self.logger.info("server closed")
        self._closed_waiter.set_result(None)

    async def wait_closed(self) -> None:
        """Wait until the server is closed and all connection handlers are done."""
        await asyncio.shield(self._closed_waiter)

    def get_loop(self) -> asyncio.AbstractEventLoop:
        return self.loop

    def is_serving(self) -> bool:
        return self.server.is_serving()

    async def start_serving(self) -> None:
        await self.server.start_serving()

    async def serve_forever(self) -> None:
        """Serve until cancelled; cancellation closes connections with 1001."""
        if not self.server.is_serving():
            await self.server.start_serving()
        try:
            await asyncio.shield(self._closed_waiter)
        except asyncio.CancelledError:
            self.close()
            await self.wait_closed()
            raise

    @property
    def sockets(self) -> tuple[Any, ...]:
        return tuple(self.server.sockets)

    def __await__(self) -> Generator[Any, None, Server]:
        return self._start().__await__()

    async def _start(self) -> Server:
        create_server, self._create_server = self._create_server, None
        if create_server is not None:
            # The first await creates it, serving as ``start_serving=`` says; a later one
            # starts it.
            self.wrap(await create_server)
        elif not self.server.is_serving():
            await self.server.start_serving()
        return self

    async def __aenter__(self) -> Server:
        return await self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
        await self.wait_closed()


def serve(
    handler: Callable[[ServerConnection], Awaitable[None]],
    host: str | Sequence[str] | None = None,
    port: int | None = None,
    *,
    origins: Sequence[Origin | Pattern[str] | None] | None = None,
    extensions: Sequence[ServerExtensionFactory] | None = None,
    subprotocols: Sequence[Subprotocol] | None = None,
    select_subprotocol: SelectSubprotocol | None = None,
    compression: str | None = "deflate",
    process_request: ProcessRequest | None = None,
    process_response: ProcessResponse | None = None,
    server_header: str | None = SERVER,
    open_timeout: float | None = 10,
    ping_interval: float | None = 20,
    ping_timeout: float | None = 20,
    close_timeout: float | None = 10,
    max_size: int | tuple[int | None, int | None] | None = 2**20,
    max_queue: int | tuple[int | None, int | None] | None = 16,
    write_limit: int | tuple[int, int | None] = 2**15,
    logger: LoggerLike | None = None,
    create_connection: type[ServerConnection] | None = None,
    **kwargs: Any,
) -> Server:
    """Create a WebSocket server listening on ``host`` and ``port``.

    Use it as ``async with serve(...) as server`` or ``server = await serve(...)``: the
    :class:`Server` returned listens once awaited or entered (the same object).
    ``handler`` runs for each connection inside ``async with connection``: the
    connection closes with 1000 when it returns and 1011 when it raises.
    Keyword arguments not listed go to :meth:`~asyncio.loop.create_server`.

    """
    if subprotocols is not None:
        validate_subprotocols(subprotocols)
    if compression == "deflate":
        extensions = enable_server_permessage_deflate(extensions)
    elif compression is not None:
        raise ValueError(f"unsupported compression: {compression}")
    connection_class = create_connection or ServerConnection

    def factory() -> ServerConnection:
        connection: ServerConnection

        def select(protocol: ServerProtocol, offered: Sequence[Subprotocol]) -> Any:
            assert select_subprotocol is not None
            return select_subprotocol(connection, offered)

        protocol = ServerProtocol(
            origins=origins,
            extensions=extensions,
            subprotocols=subprotocols,
            select_subprotocol=select if select_subprotocol is not None else None,
            max_size=max_size,
            logger=logger,
        )
        connection = connection_class(
            protocol,
            server,
            ping_interval=ping_interval,
            ping_timeout=ping_timeout,
            close_timeout=close_timeout,
            max_queue=max_queue,
            write_limit=write_limit,
        )
        return connection

    # unix_serve() passes these two; they aren't part of the public signature.
    unix: bool = kwargs.pop("unix", False)
    path: PathLike | None = kwargs.pop("path", None)
    if kwargs.get("ssl") is not None:
        # A client stalling in the TLS handshake is bounded like one stalling in the
        # WebSocket handshake, not by asyncio's 60 s default.
        if open_timeout is not None:
            kwargs.setdefault("ssl_handshake_timeout", open_timeout)
        if close_timeout is not None:
            kwargs.setdefault("ssl_shutdown_timeout", close_timeout)

    async def create_server() -> asyncio.Server:
        loop = asyncio.get_running_loop()
        if unix:
            # With both path and sock, or neither, asyncio says what's wrong.
            return await loop.create_unix_server(factory, path, **kwargs)
        return await loop.create_server(factory, host, port, **kwargs)

    # Outside a running event loop this raises RuntimeError (upstream's contract); the
    # coroutine is made only once the server exists, so none is left unawaited.
    server = Server(
        None,
        handler,
        logger,
        process_request=process_request,
        process_response=process_response,
        server_header=server_header,
        open_timeout=open_timeout,
    )
    server._create_server = create_server()
    return server


def unix_serve(
    handler: Callable[[ServerConnection], Awaitable[None]],
    path: PathLike | None = None,
    **kwargs: Any,
) -> Server:
    """Create a WebSocket server listening on the Unix socket ``path``.

    Other arguments are those of :func:`serve`.

    """
    return serve(handler, unix=True, path=path, **kwargs)
