"""The legacy client: :func:`connect`, :func:`unix_connect`, :class:`WebSocketClientProtocol`."""

from __future__ import annotations

import asyncio
import logging
import math
import os
import random
import traceback
import urllib.parse
from collections.abc import AsyncIterator, Callable, Generator, Sequence
from types import TracebackType
from typing import Any

from ..datastructures import Headers, HeadersLike
from ..exceptions import (
    InvalidHandshake,
    InvalidHeader,
    InvalidMessage,
    NegotiationError,
    SecurityError,
)
from ..extensions import ClientExtensionFactory, Extension
from ..extensions.permessage_deflate import enable_client_permessage_deflate
from ..headers import (
    build_authorization_basic,
    build_extension,
    build_host,
    build_subprotocol,
    parse_extension,
    parse_subprotocol,
    validate_subprotocols,
)
from ..http11 import USER_AGENT
from ..typing import LoggerLike, Origin, Subprotocol
from ..uri import WebSocketURI, parse_uri
from .exceptions import InvalidStatusCode, RedirectHandshake
from .handshake import build_request, check_response
from .http import read_response
from .protocol import WebSocketCommonProtocol, pop_deprecated_arguments

__all__ = ["Connect", "WebSocketClientProtocol", "connect", "unix_connect"]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class WebSocketClientProtocol(WebSocketCommonProtocol):
    """The client side of a connection; see :class:`WebSocketCommonProtocol`.

    :func:`connect` creates it; ``origin``, ``extensions``, ``subprotocols``,
    ``extra_headers`` and ``user_agent_header`` configure the handshake.
    """

    is_client = True
    side = "client"

    def __init__(
        self,
        *,
        logger: LoggerLike | None = None,
        origin: Origin | None = None,
        extensions: Sequence[ClientExtensionFactory] | None = None,
        subprotocols: Sequence[Subprotocol] | None = None,
        extra_headers: HeadersLike | None = None,
        user_agent_header: str | None = USER_AGENT,
        **kwargs: Any,
    ) -> None:
        if logger is None:
            logger = logging.getLogger("websockets.client")
        super().__init__(logger=logger, **kwargs)
        self.origin = origin
        self.available_extensions = extensions
        self.available_subprotocols = subprotocols
        self.extra_headers = extra_headers
        self.user_agent_header = user_agent_header

    def write_http_request(self, path: str, headers: Headers) -> None:
        """Send the handshake request."""
        self.path = path
        self.request_headers = headers
        if self.debug:
            self.logger.debug("> GET %s HTTP/1.1", path)
            for name, value in headers.raw_items():
                self.logger.debug("> %s: %s", name, value)
        self.transport.write(f"GET {path} HTTP/1.1\r\n".encode() + headers.serialize())

    async def read_http_response(self) -> tuple[int, Headers]:
        """Read the handshake response; return its status code and headers.

        Raises InvalidMessage if it isn't a valid HTTP response.
        """
        try:
            status_code, reason, headers = await read_response(self.reader)
        except Exception as exc:
            raise InvalidMessage("did not receive a valid HTTP response") from exc
        if self.debug:
            self.logger.debug("< HTTP/1.1 %d %s", status_code, reason)
            for name, value in headers.raw_items():
                self.logger.debug("< %s: %s", name, value)
        self.response_headers = headers
        return status_code, headers

    @staticmethod
    def process_extensions(
        headers: Headers,
        available_extensions: Sequence[ClientExtensionFactory] | None,
    ) -> list[Extension]:
        """Activate the extensions the server accepted, in the order it listed them.

        Raises InvalidHandshake if the server accepted one the client didn't offer.
        """
        accepted: list[Extension] = []
        header_values = headers.get_all("Sec-WebSocket-Extensions")
        if not header_values:
            return accepted
        if not available_extensions:
            raise InvalidHandshake("no extensions supported")
        for header_value in header_values:
            for name, response_params in parse_extension(header_value):
                for factory in available_extensions:
                    if factory.name != name:
                        continue
                    try:
                        extension = factory.process_response_params(response_params, accepted)
                    except NegotiationError:
                        continue
                    accepted.append(extension)
                    break
                else:
                    raise NegotiationError(
                        f"Unsupported extension: name = {name}, params = {response_params}"
                    )
        return accepted

    @staticmethod
    def process_subprotocol(
        headers: Headers,
        available_subprotocols: Sequence[Subprotocol] | None,
    ) -> Subprotocol | None:
        """Return the subprotocol the server selected, or ``None``.

        Raises InvalidHandshake if it selected several, or one the client didn't offer.
        """
        header_values = headers.get_all("Sec-WebSocket-Protocol")
        if not header_values:
            return None
        if not available_subprotocols:
            raise InvalidHandshake("no subprotocols supported")
        parsed = [value for header in header_values for value in parse_subprotocol(header)]
        if len(parsed) > 1:
            raise InvalidHandshake(f"multiple subprotocols: {', '.join(parsed)}")
        subprotocol = parsed[0]
        if subprotocol not in available_subprotocols:
            raise NegotiationError(f"unsupported subprotocol: {subprotocol}")
        return subprotocol

    async def handshake(
        self,
        wsuri: WebSocketURI,
        origin: Origin | None = None,
        available_extensions: Sequence[ClientExtensionFactory] | None = None,
        available_subprotocols: Sequence[Subprotocol] | None = None,
        extra_headers: HeadersLike | None = None,
    ) -> None:
        """Perform the client side of the opening handshake.

        Raises RedirectHandshake on a redirect, InvalidStatusCode on any other
        status than 101, and InvalidHandshake when the response is invalid.
        """
        request_headers = Headers()
        request_headers["Host"] = build_host(wsuri.host, wsuri.port, wsuri.secure)
        if wsuri.user_info:
            request_headers["Authorization"] = build_authorization_basic(*wsuri.user_info)
        if origin is not None:
            request_headers["Origin"] = origin
        key = build_request(request_headers)
        if available_extensions is not None:
            request_headers["Sec-WebSocket-Extensions"] = build_extension(
                [
                    (factory.name, list(factory.get_request_params()))
                    for factory in available_extensions
                ]
            )
        if available_subprotocols is not None:
            request_headers["Sec-WebSocket-Protocol"] = build_subprotocol(available_subprotocols)
        if extra_headers is not None:
            request_headers.update(extra_headers)
        # A User-Agent given in extra_headers wins over user_agent_header.
        if self.user_agent_header is not None and "User-Agent" not in request_headers:
            request_headers["User-Agent"] = self.user_agent_header

        self.write_http_request(wsuri.resource_name, request_headers)
        status_code, response_headers = await self.read_http_response()
        if status_code in REDIRECT_STATUSES:
            if "Location" not in response_headers:
                raise InvalidHeader("Location")
            raise RedirectHandshake(response_headers["Location"])
        if status_code != 101:
            raise InvalidStatusCode(status_code, response_headers)
        check_response(response_headers, key)
        self.extensions = self.process_extensions(response_headers, available_extensions)
        self.subprotocol = self.process_subprotocol(response_headers, available_subprotocols)
        self.connection_open()


class Connect:
    """Connect to the WebSocket server at ``uri``: ``connect(uri, ...)``.

    Await it for a :class:`WebSocketClientProtocol`, use it as an async context
    manager to close the connection on exit, or iterate over it to reconnect
    after any error, with exponential backoff (the ``BACKOFF_*`` attributes).
    Extra keyword arguments go to :meth:`~asyncio.loop.create_connection`.
    """

    MAX_REDIRECTS_ALLOWED = int(os.environ.get("WEBSOCKETS_MAX_REDIRECTS", "10"))
    BACKOFF_INITIAL = float(os.environ.get("WEBSOCKETS_BACKOFF_INITIAL_DELAY", "5"))
    BACKOFF_MIN = float(os.environ.get("WEBSOCKETS_BACKOFF_MIN_DELAY", "3.1"))
    BACKOFF_MAX = float(os.environ.get("WEBSOCKETS_BACKOFF_MAX_DELAY", "90.0"))
    BACKOFF_FACTOR = float(os.environ.get("WEBSOCKETS_BACKOFF_FACTOR", "1.618"))

    protocol: WebSocketClientProtocol

    def __init__(
        self,
        uri: str,
        *,
        create_protocol: Callable[..., WebSocketClientProtocol] | None = None,
        logger: LoggerLike | None = None,
        compression: str | None = "deflate",
        origin: Origin | None = None,
        extensions: Sequence[ClientExtensionFactory] | None = None,
        subprotocols: Sequence[Subprotocol] | None = None,
        extra_headers: HeadersLike | None = None,
        user_agent_header: str | None = USER_AGENT,
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
            kwargs, close_timeout, create_protocol, WebSocketClientProtocol
        )

        self._unix: bool = kwargs.pop("unix", False)
        self._unix_path: str | None = kwargs.pop("path", None)

        wsuri = parse_uri(uri)
        if wsuri.secure:
            kwargs.setdefault("ssl", True)
        elif kwargs.get("ssl") is not None:
            raise ValueError(
                "connect() received a ssl argument for a ws:// URI, use a wss:// URI to enable TLS"
            )

        if compression == "deflate":
            extensions = enable_client_permessage_deflate(extensions)
        elif compression is not None:
            raise ValueError(f"unsupported compression: {compression}")
        if subprotocols is not None:
            validate_subprotocols(subprotocols)

        if logger is None:
            logger = logging.getLogger("websockets.client")
        self.logger = logger
        self._uri = uri
        self._wsuri = wsuri
        self._open_timeout = open_timeout
        self._create_protocol = create_protocol
        self._protocol_kwargs: dict[str, Any] = dict(
            logger=logger,
            origin=origin,
            extensions=extensions,
            subprotocols=subprotocols,
            extra_headers=extra_headers,
            user_agent_header=user_agent_header,
            ping_interval=ping_interval,
            ping_timeout=ping_timeout,
            close_timeout=close_timeout,
            max_size=max_size,
            max_queue=max_queue,
            read_limit=read_limit,
            write_limit=write_limit,
            legacy_recv=legacy_recv,
        )
        if not self._unix:
            # host and port in kwargs override the TCP destination, not the URI.
            kwargs.setdefault("host", wsuri.host)
            kwargs.setdefault("port", wsuri.port)
            if kwargs.get("sock") is not None:
                kwargs["host"] = kwargs["port"] = None
        if kwargs.get("ssl") and (self._unix or kwargs.get("sock") is not None):
            # Otherwise asyncio checks the certificate against the host connected to: the
            # URI's, or the one host= gave.
            kwargs.setdefault("server_hostname", wsuri.host)
        self._connection_kwargs = kwargs

    def _factory(self) -> WebSocketClientProtocol:
        return self._create_protocol(
            host=self._wsuri.host,
            port=self._wsuri.port,
            secure=self._wsuri.secure,
            **self._protocol_kwargs,
        )

    async def _create_connection(self) -> WebSocketClientProtocol:
        loop = asyncio.get_running_loop()
        if self._unix:
            _, protocol = await loop.create_unix_connection(
                self._factory, self._unix_path, **self._connection_kwargs
            )
        else:
            _, protocol = await loop.create_connection(self._factory, **self._connection_kwargs)
        return protocol

    def handle_redirect(self, uri: str) -> None:
        """Point this object at the redirect target ``uri`` (relative to the current URI).

        Raises SecurityError on a redirect from wss:// to ws://.
        """
        old_wsuri = self._wsuri
        new_uri = urllib.parse.urljoin(self._uri, uri)
        new_wsuri = parse_uri(new_uri)
        if old_wsuri.secure and not new_wsuri.secure:
            raise SecurityError("redirect from WSS to WS")
        same_origin = (old_wsuri.secure, old_wsuri.host, old_wsuri.port) == (
            new_wsuri.secure,
            new_wsuri.host,
            new_wsuri.port,
        )
        # A Unix socket has no origin to change: the redirect stays on it.
        if not same_origin and not self._unix:
            self._connection_kwargs["host"] = new_wsuri.host
            self._connection_kwargs["port"] = new_wsuri.port
            self._connection_kwargs.pop("sock", None)
            if new_wsuri.secure:
                if not self._connection_kwargs.get("ssl"):
                    self._connection_kwargs["ssl"] = True
                self._connection_kwargs["server_hostname"] = new_wsuri.host
        self._uri = new_uri
        self._wsuri = new_wsuri

    async def __await_impl__(self) -> WebSocketClientProtocol:
        async with asyncio.timeout(self._open_timeout):
            # MAX_REDIRECTS_ALLOWED counts connection attempts, the first one included.
            for _ in range(self.MAX_REDIRECTS_ALLOWED):
                protocol = await self._create_connection()
                try:
                    await protocol.handshake(
                        self._wsuri,
                        origin=protocol.origin,
                        available_extensions=protocol.available_extensions,
                        available_subprotocols=protocol.available_subprotocols,
                        extra_headers=protocol.extra_headers,
                    )
                except RedirectHandshake as exc:
                    protocol.fail_connection()
                    await protocol.wait_closed()
                    self.handle_redirect(exc.uri)
                except (Exception, asyncio.CancelledError):
                    protocol.fail_connection()
                    await protocol.wait_closed()
                    raise
                else:
                    self.protocol = protocol
                    return protocol
            raise SecurityError("too many redirects")

    def __await__(self) -> Generator[Any, None, WebSocketClientProtocol]:
        return self.__await_impl__().__await__()

    async def __aenter__(self) -> WebSocketClientProtocol:
        return await self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.protocol.close()

    async def __aiter__(self) -> AsyncIterator[WebSocketClientProtocol]:
        # One step below BACKOFF_MIN: the first failed attempt is retried soon.
        delay = self.BACKOFF_MIN / self.BACKOFF_FACTOR
        while True:
            try:
                async with self as protocol:
                    yield protocol
            except Exception as exc:
                error = traceback.format_exception_only(exc)[0].strip()
                if math.isclose(delay, self.BACKOFF_MIN):
                    # A random delay spreads the reconnections of many clients after a
                    # server restart.
                    wait = random.random() * self.BACKOFF_INITIAL
                    self.logger.info(
                        "connect failed; reconnecting in %.1f seconds: %s", wait, error
                    )
                else:
                    wait = int(delay)
                    self.logger.info(
                        "connect failed again; retrying in %d seconds: %s", wait, error
                    )
                await asyncio.sleep(wait)
                delay = min(delay * self.BACKOFF_FACTOR, self.BACKOFF_MAX)
            else:
                # The connection was up: start over, from the random delay.
                delay = self.BACKOFF_MIN


connect = Connect


def unix_connect(
    path: str | None = None,
    uri: str = "ws://localhost/",
    **kwargs: Any,
) -> Connect:
    """Like :func:`connect`, over the Unix socket at ``path``."""
    return connect(uri=uri, path=path, unix=True, **kwargs)
