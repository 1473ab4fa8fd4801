"""WebSocket server for the threading implementation: :func:`serve`, :class:`Server`."""

from __future__ import annotations

import http
import logging
import os
import selectors
import socket
import ssl as ssl_module
import threading
import warnings
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from re import Pattern
from types import TracebackType
from typing import Any

from ..asyncio.auth import Credentials, credentials_checker, read_credentials
from ..extensions.base import ServerExtensionFactory
from ..extensions.permessage_deflate import enable_server_permessage_deflate
from ..headers import build_www_authenticate_basic, validate_subprotocols
from ..http11 import SERVER, Request, Response
from ..protocol import CONNECTING, OPEN, Event
from ..server import ServerProtocol
from ..typing import LoggerLike, Origin, PathLike, StatusLike, Subprotocol
from ..utils import get_socket_name
from .broadcast import broadcast
from .connection import Connection
from .utils import Deadline

__all__ = ["Server", "ServerConnection", "basic_auth", "broadcast", "serve", "unix_serve"]

ProcessRequest = Callable[["ServerConnection", Request], Response | None]
ProcessResponse = Callable[["ServerConnection", Request, Response], Response | None]
SelectSubprotocol = Callable[["ServerConnection", Sequence[Subprotocol]], Subprotocol | None]

HANDSHAKE_ERROR = "Failed to open a WebSocket connection.\nSee server log for more information.\n"


class ServerConnection(Connection):
    """Server side of a WebSocket connection, passed to the handler given to :func:`serve`."""

    def __init__(
        self,
        socket: socket.socket,
        protocol: ServerProtocol,
        server: Server,
        *,
        ping_interval: float | None = 20,
        ping_timeout: float | None = 20,
        close_timeout: float | None = 10,
        max_queue: int | tuple[int | None, int | None] | None = 16,
    ) -> None:
        self.protocol: ServerProtocol
        super().__init__(
            socket,
            protocol,
            ping_interval=ping_interval,
            ping_timeout=ping_timeout,
            close_timeout=close_timeout,
            max_queue=max_queue,
        )
        self.server = server
        self.username: str
        """Username of the client, set by :func:`basic_auth`."""
        self.handler: Callable[..., None]
        self.handler_kwargs: dict[str, Any]
        """Handler and its arguments for this connection, set by the router."""

    def respond(self, status: StatusLike, text: str) -> Response:
        """Create a plain text HTTP response, for ``process_request`` and ``process_response``."""
        return self.protocol.reject(status, text)

    def handshake(
        self,
        process_request: ProcessRequest | None = None,
        process_response: ProcessResponse | None = None,
        server_header: str | None = SERVER,
        timeout: float | None = None,
    ) -> None:
        """Answer the opening handshake request.

        Raises:
            TimeoutError: no request arrived within ``timeout`` seconds.

        """
        if not self.handshake_rcvd.wait(timeout):
            raise TimeoutError("timed out while waiting for handshake request")
        if self.request is None:
            # The request couldn't be parsed; the protocol answered it already.
            return
        request = self.request
        with self.send_context(expected_state=CONNECTING):
            response = None
            if process_request is not None:
                response = self._call_hook("process_request", process_request, request)
            if response is None:
                response = self.protocol.accept(request)
                if response.status_code == 101 and not self.server.is_serving():
                    response = self.protocol.reject(
                        http.HTTPStatus.SERVICE_UNAVAILABLE, "Server is shutting down.\n"
                    )
            if server_header is not None:
                response.headers.setdefault("Server", server_header)
            if process_response is not None:
                new_response = self._call_hook(
                    "process_response", process_response, request, response
                )
                if new_response is not None:
                    response = new_response
            self.response = response
            self.protocol.send_response(response)

    def _call_hook(self, name: str, hook: Callable[..., Any], *args: Any) -> Response | None:
        """Run ``process_request`` or ``process_response``; turn exceptions into a 500."""
        try:
            result = hook(self, *args)
        except Exception as exc:
            self.protocol.handshake_exc = exc
            self.logger.error("%s failed", name, exc_info=True)
            return self.protocol.reject(http.HTTPStatus.INTERNAL_SERVER_ERROR, HANDSHAKE_ERROR)
        assert result is None or isinstance(result, Response)
        return result

    def process_event(self, event: Event) -> None:
        if isinstance(event, Request):
            self.request = event
            self.handshake_rcvd.set()
        else:
            super().process_event(event)


class Server:
    """A WebSocket server: accepts connections on ``socket`` and runs ``handler`` for each.

    ``handler(socket, address)`` runs in a thread of its own for each connection. Use
    :meth:`serve_forever` to run it and :meth:`shutdown` from another thread to stop it.

    """

    def __init__(
        self,
        socket: socket.socket,
        handler: Callable[[socket.socket, Any], None],
        logger: LoggerLike | None = None,
    ) -> None:
        self.socket = socket
        self.handler = handler
        self.logger: LoggerLike = logger or logging.getLogger("websockets.server")
        self._connections: set[ServerConnection] = set()
        self._threads: set[threading.Thread] = set()
        self._mutex = threading.Lock()
        self._serving = True
        # Written to by shutdown() to wake serve_forever() out of its wait.
        self._wakeup_r, self._wakeup_w = _socketpair()
        self._serving_forever = threading.Event()
        self._serve_forever_done = threading.Event()

    @property
    def connections(self) -> set[ServerConnection]:
        """The open connections."""
        with self._mutex:
            return {c for c in self._connections if c.state is OPEN}

    def is_serving(self) -> bool:
        """Whether the server accepts new connections."""
        return self._serving

    def register(self, connection: ServerConnection) -> None:
        with self._mutex:
            self._connections.add(connection)

    def unregister(self, connection: ServerConnection) -> None:
        with self._mutex:
            self._connections.discard(connection)

    def serve_forever(self) -> None:
        """Accept connections until :meth:`shutdown` or until the socket is closed."""
        self.logger.info("server listening on %s", get_socket_name(self.socket))
        self._serving_forever.set()
        try:
            self._accept_connections()
        finally:
            self._serve_forever_done.set()

    def _accept_connections(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            selector.register(self._wakeup_r, selectors.EVENT_READ)
            while self._serving:
                ready = {key.fileobj for key, _ in selector.select()}
                if self._wakeup_r in ready or not self._serving:
                    break
                try:
                    sock, address = self.socket.accept()
                except BlockingIOError:
                    continue
                except OSError:
                    break
                thread = threading.Thread(
                    target=self._run_handler, args=(sock, address), daemon=True
                )
                with self._mutex:
                    self._threads.add(thread)
                thread.start()

    def _run_handler(self, sock: socket.socket, address: Any) -> None:
        try:
            self.handler(sock, address)
        finally:
            with self._mutex:
                self._threads.discard(threading.current_thread())

    def shutdown(self, close_connections: bool = True, code: int = 1001, reason: str = "") -> None:
        """Stop accepting connections, close the open ones and wait for their handlers.

        With ``close_connections=False``, only wait for the handlers to return.

        """
        if not self._serving:
            return
        self.logger.info("server closing")
        self._serving = False
        self.socket.close()
        try:
            self._wakeup_w.send(b"x")
        except OSError:  # already shut down
            pass
        if close_connections:
            with self._mutex:
                connections = list(self._connections)
            if connections:
                with ThreadPoolExecutor() as executor:
                    for connection in connections:
                        executor.submit(connection.close, code, reason)
        while True:
            with self._mutex:
                threads = [t for t in self._threads if t is not threading.current_thread()]
            if not threads:
                break
            for thread in threads:
                thread.join()
        # serve_forever() may still be reading the wake-up byte: close the pair after it.
        if self._serving_forever.is_set():
            self._serve_forever_done.wait()
        self._wakeup_r.close()
        self._wakeup_w.close()
        self.logger.info("server closed")

    def fileno(self) -> int:
        """File descriptor of the listening socket."""
        return self.socket.fileno()

    def __enter__(self) -> Server:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.shutdown()


def _socketpair() -> tuple[socket.socket, socket.socket]:
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    return reader, writer


def serve(
    handler: Callable[[ServerConnection], None],
    host: str | None = None,
    port: int | None = None,
    *,
    sock: socket.socket | None = None,
    ssl: ssl_module.SSLContext | None = None,
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
    logger: LoggerLike | None = None,
    create_connection: type[ServerConnection] | None = None,
    **kwargs: Any,
) -> Server:
    """Create a WebSocket server listening on ``host`` and ``port``.

    Use it as ``with serve(...) as server: server.serve_forever()``. ``handler`` runs in
    a thread for each connection: the connection closes with 1000 when it returns and
    1011 when it raises. ``process_request``, ``process_response`` and
    ``select_subprotocol`` are plain functions. Keyword arguments not listed go to
    :func:`socket.create_server`.

    """
    if "ssl_context" in kwargs:
        ssl = kwargs.pop("ssl_context")
        warnings.warn("ssl_context was renamed to ssl", DeprecationWarning, stacklevel=2)
    if subprotocols is not None:
        validate_subprotocols(subprotocols)
    if compression == "deflate":
        extensions = enable_server_permessage_deflate(extensions)
    elif compression is not None:
        raise ValueError(f"unsupported compression: {compression}")
    unix: bool = kwargs.pop("unix", False)
    path: PathLike | None = kwargs.pop("path", None)

    if sock is None:
        if unix:
            if path is None:
                raise ValueError("missing path argument")
            kwargs.setdefault("family", socket.AF_UNIX)
            sock = socket.create_server(os.fspath(path), **kwargs)  # type: ignore[arg-type]
        else:
            sock = socket.create_server((host or "", port or 0), **kwargs)
    else:
        if path is not None:
            raise ValueError("path is incompatible with sock")
        if host is not None:
            raise ValueError("host is incompatible with sock")
        if port is not None:
            raise ValueError("port is incompatible with sock")

    connection_class = create_connection or ServerConnection
    server: Server

    def handle(client_sock: socket.socket, address: Any) -> None:
        deadline = Deadline(open_timeout)
        try:
            if client_sock.family in (socket.AF_INET, socket.AF_INET6):
                client_sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, True)
            if ssl is not None:
                client_sock.settimeout(deadline.timeout())
                client_sock = ssl.wrap_socket(
                    client_sock, server_side=True, do_handshake_on_connect=False
                )
                client_sock.do_handshake()
                client_sock.settimeout(None)
        except Exception as exc:
            server.logger.debug("opening TLS handshake failed: %s", exc)
            client_sock.close()
            return

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
            client_sock,
            protocol,
            server,
            ping_interval=ping_interval,
            ping_timeout=ping_timeout,
            close_timeout=close_timeout,
            max_queue=max_queue,
        )
        try:
            connection.handshake(
                process_request, process_response, server_header, deadline.timeout()
            )
        except TimeoutError:
            connection.close_socket()
            connection.recv_events_thread.join()
            return
        except Exception:
            connection.logger.error("opening handshake failed", exc_info=True)
            connection.close_socket()
            connection.recv_events_thread.join()
            return
        if connection.state is not OPEN:
            # The response is written; let the client read it and close, within bounds.
            connection.wait_closed(close_timeout)
            connection.close_socket()
            connection.recv_events_thread.join()
            return

        server.register(connection)
        try:
            connection.opened()
            try:
                handler(connection)
            except Exception:
                connection.logger.error("connection handler failed", exc_info=True)
                connection.close(1011)
            else:
                connection.close()
        finally:
            server.unregister(connection)

    server = Server(sock, handle, logger)
    return server


def unix_serve(
    handler: Callable[[ServerConnection], None],
    path: PathLike | None = None,
    **kwargs: Any,
) -> Server:
    """Create a WebSocket server listening on the Unix socket ``path``.

    Other arguments are those of :func:`serve`.

    """
    return serve(handler, unix=True, path=path, **kwargs)


def basic_auth(
    realm: str = "",
    credentials: Credentials | Iterable[Credentials] | None = None,
    check_credentials: Callable[[str, str], bool] | None = None,
) -> Callable[[ServerConnection, Request], Response | None]:
    """Return a ``process_request`` function that enforces HTTP Basic Authentication.

    Give either ``credentials``, a ``(username, password)`` pair or an iterable of
    pairs, or ``check_credentials``, a function that receives the username and
    password and returns whether they're valid. Requests without valid credentials
    get a 401 response; otherwise ``connection.username`` is set.

    Raises:
        ValueError: neither or both of ``credentials`` and ``check_credentials``.
        TypeError: ``credentials`` is malformed.

    """
    check = credentials_checker(credentials, check_credentials)

    def process_request(connection: ServerConnection, request: Request) -> Response | None:
        found = read_credentials(request)
        if isinstance(found, str):
            text = found
        elif not check(*found):
            text = "Invalid credentials\n"
        else:
            connection.username = found[0]
            return None
        response = connection.respond(http.HTTPStatus.UNAUTHORIZED, text)
        response.headers["WWW-Authenticate"] = build_www_authenticate_basic(realm)
        return response

    return process_request
