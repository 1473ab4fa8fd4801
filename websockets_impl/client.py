"""Sans-I/O WebSocket client: the opening handshake on top of :class:`~.protocol.Protocol`."""

from __future__ import annotations

import os
import random
import warnings
from collections.abc import Callable, Generator, Sequence
from typing import Any

from .datastructures import Headers, MultipleValuesError
from .deprecations import aliases_in
from .exceptions import (
    InvalidHandshake,
    InvalidHeader,
    InvalidHeaderValue,
    InvalidMessage,
    InvalidStatus,
    InvalidUpgrade,
    NegotiationError,
    StatusLineTooLong,
)
from .extensions import ClientExtensionFactory, Extension
from .headers import (
    ConnectionOption,
    UpgradeProtocol,
    build_authorization_basic,
    build_extension,
    build_host,
    build_subprotocol,
    parse_connection,
    parse_extension,
    parse_subprotocol,
    parse_upgrade,
)
from .http11 import Request, Response
from .imports import lazy_import
from .protocol import CLIENT, CONNECTING, OPEN, Protocol, State
from .typing import LoggerLike, Origin, Subprotocol
from .uri import WebSocketURI
from .utils import accept_key, generate_key

__all__ = ["ClientProtocol"]


class ClientProtocol(Protocol):
    """Sans-I/O client connection to ``uri``.

    ``extensions`` and ``subprotocols`` are offered to the server in the handshake
    request built by :meth:`connect`; :meth:`process_response` checks the answer.
    """

    def __init__(
        self,
        uri: WebSocketURI,
        *,
        origin: Origin | None = None,
        extensions: Sequence[ClientExtensionFactory] | None = None,
        subprotocols: Sequence[Subprotocol] | None = None,
        state: State = CONNECTING,
        max_size: int | tuple[int | None, int | None] | None = 2**20,
        logger: LoggerLike | None = None,
    ) -> None:
        super().__init__(side=CLIENT, state=state, max_size=max_size, logger=logger)
        self.uri = uri
        self.origin = origin
        self.available_extensions = extensions
        self.available_subprotocols = subprotocols
        self.key = generate_key()

    def connect(self) -> Request:
        """Build the handshake request; send it with :meth:`send_request`.

        Add headers such as User-Agent to ``request.headers`` before sending it.
        """
        headers = Headers()
        headers["Host"] = build_host(self.uri.host, self.uri.port, self.uri.secure)
        if self.uri.user_info:
            headers["Authorization"] = build_authorization_basic(*self.uri.user_info)
        if self.origin is not None:
            headers["Origin"] = self.origin
        headers["Upgrade"] = "websocket"
        headers["Connection"] = "Upgrade"
        headers["Sec-WebSocket-Key"] = self.key
        headers["Sec-WebSocket-Version"] = "13"
        if self.available_extensions is not None:
            headers["Sec-WebSocket-Extensions"] = build_extension(
                [
                    (factory.name, list(factory.get_request_params()))
                    for factory in self.available_extensions
                ]
            )
        if self.available_subprotocols is not None:
            headers["Sec-WebSocket-Protocol"] = build_subprotocol(self.available_subprotocols)
        return Request(self.uri.resource_name, headers)

    def send_request(self, request: Request) -> None:
        """Queue the handshake request for :meth:`data_to_send`."""
        if self.debug:
            self.logger.debug("> %s %s %s", request.method, request.path, request.protocol)
            for name, value in request.headers.raw_items():
                self.logger.debug("> %s: %s", name, value)
        self.writes.append(request.serialize())

    def process_response(self, response: Response) -> None:
        """Check the handshake response and apply what it negotiated.

        Raises:
            InvalidHandshake: The server rejected the connection or answered wrongly.
        """
        if response.status_code != 101:
            raise InvalidStatus(response)
        headers = response.headers

        connection: list[ConnectionOption] = [
            option for value in headers.get_all("Connection") for option in parse_connection(value)
        ]
        if not any(option.lower() == "upgrade" for option in connection):
            raise InvalidUpgrade("Connection", ", ".join(connection) if connection else None)

        upgrade: list[UpgradeProtocol] = [
            protocol for value in headers.get_all("Upgrade") for protocol in parse_upgrade(value)
        ]
        # RFC 6455 4.1: the value must be "websocket", case-insensitively, and only that.
        if not (len(upgrade) == 1 and upgrade[0].lower() == "websocket"):
            raise InvalidUpgrade("Upgrade", ", ".join(upgrade) if upgrade else None)

        try:
            accept = headers["Sec-WebSocket-Accept"]
        except KeyError:
            raise InvalidHeader("Sec-WebSocket-Accept") from None
        except MultipleValuesError:
            raise InvalidHeader("Sec-WebSocket-Accept", "multiple values") from None
        if accept != accept_key(self.key):
            raise InvalidHeaderValue("Sec-WebSocket-Accept", accept)

        self.extensions = self.process_extensions(headers)
        self.subprotocol = self.process_subprotocol(headers)

    def process_extensions(self, headers: Headers) -> list[Extension]:
        """Accept the extensions the server selected, in the server's order.

        Raises:
            InvalidHandshake: An extension wasn't offered or its parameters are wrong.
        """
        accepted: list[Extension] = []
        values = headers.get_all("Sec-WebSocket-Extensions")
        if not values:
            return accepted
        if not self.available_extensions:
            raise NegotiationError("no extensions supported")
        selected = [extension for value in values for extension in parse_extension(value)]
        for name, params in selected:
            for factory in self.available_extensions:
                if factory.name != name:
                    continue
                try:
                    extension = factory.process_response_params(params, accepted)
                except NegotiationError:
                    continue
                accepted.append(extension)
                break
            else:
                raise NegotiationError(f"Unsupported extension: name = {name}, params = {params}")
        return accepted

    def process_subprotocol(self, headers: Headers) -> Subprotocol | None:
        """Accept the subprotocol the server selected, if any.

        Raises:
            InvalidHandshake: It wasn't offered, or the server selected several.
        """
        values = headers.get_all("Sec-WebSocket-Protocol")
        if not values:
            return None
        if not self.available_subprotocols:
            raise NegotiationError("no subprotocols supported")
        subprotocols = [item for value in values for item in parse_subprotocol(value)]
        if len(subprotocols) > 1:
            raise InvalidHeader("Sec-WebSocket-Protocol", f"multiple values: {', '.join(values)}")
        subprotocol = subprotocols[0]
        if subprotocol not in self.available_subprotocols:
            raise NegotiationError(f"unsupported subprotocol: {subprotocol}")
        return subprotocol

    def parse(self) -> Generator[None, None, None]:
        if self._state is CONNECTING:
            try:
                response = yield from Response.parse(
                    self.reader.read_line, self.reader.read_exact, self.reader.read_to_eof
                )
            except Exception as exc:
                if isinstance(exc, StatusLineTooLong):
                    # As upstream: only this limit is reported as itself.
                    self.handshake_exc = exc
                else:
                    self.handshake_exc = InvalidMessage("did not receive a valid HTTP response")
                    self.handshake_exc.__cause__ = exc
                self._abort_handshake()
                yield
                raise AssertionError("parse() shouldn't step after failing") from None

            if self.debug:
                self.logger.debug("< HTTP/1.1 %d %s", response.status_code, response.reason_phrase)
                for name, value in response.headers.raw_items():
                    self.logger.debug("< %s: %s", name, value)
                if response.body:
                    self.logger.debug("< [body] (%d bytes)", len(response.body))

            try:
                self.process_response(response)
            except InvalidHandshake as exc:
                response._exception = exc
                self.events.append(response)
                self.handshake_exc = exc
                self._abort_handshake()
                yield
                raise AssertionError("parse() shouldn't step after failing") from None

            self.events.append(response)
            self.state = OPEN
        yield from super().parse()

    def _abort_handshake(self) -> None:
        # RFC 6455 4.1: on an invalid response, the client fails the connection.
        self.send_eof()
        self.parser = self.discard()
        next(self.parser)


class ClientConnection(ClientProtocol):
    """Deprecated name of :class:`ClientProtocol`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(
            "ClientConnection was renamed to ClientProtocol", DeprecationWarning, stacklevel=2
        )
        super().__init__(*args, **kwargs)


BACKOFF_INITIAL_DELAY = float(os.environ.get("WEBSOCKETS_BACKOFF_INITIAL_DELAY", "5"))
BACKOFF_MIN_DELAY = float(os.environ.get("WEBSOCKETS_BACKOFF_MIN_DELAY", "3.1"))
BACKOFF_MAX_DELAY = float(os.environ.get("WEBSOCKETS_BACKOFF_MAX_DELAY", "90.0"))
BACKOFF_FACTOR = float(os.environ.get("WEBSOCKETS_BACKOFF_FACTOR", "1.618"))


def backoff(
    initial_delay: float = BACKOFF_INITIAL_DELAY,
    min_delay: float = BACKOFF_MIN_DELAY,
    max_delay: float = BACKOFF_MAX_DELAY,
    factor: float = BACKOFF_FACTOR,
) -> Generator[float]:
    """Delays between reconnection attempts, in seconds: endless exponential backoff.

    The first delay is random in ``[0, initial_delay)``, which spreads reconnections
    after a server restart; then delays grow from ``min_delay`` by ``factor`` up to
    ``max_delay``.
    """
    yield random.random() * initial_delay
    delay = min_delay
    while delay < max_delay:
        yield delay
        delay *= factor
    while True:
        yield max_delay


def process_exception(exc: Exception) -> Exception | None:
    """Decide whether a failed connection attempt is worth retrying.

    Return ``None`` to retry, or the exception to raise. Network errors, timeouts, a
    connection closed during the handshake and HTTP 500, 502, 503 and 504 are retried.
    """
    if isinstance(exc, (OSError, TimeoutError)):
        return None
    if isinstance(exc, InvalidMessage) and isinstance(exc.__cause__, EOFError):
        return None
    if isinstance(exc, InvalidStatus) and exc.response.status_code in (500, 502, 503, 504):
        return None
    return exc


class Retries:
    """What a reconnecting client does after each attempt, shared by both implementations.

    ``process_exception(exc)`` decides whether a failure is retried; ``reconnect_delays``
    makes the delays, started afresh after each successful connection.
    """

    def __init__(
        self,
        process_exception: Callable[[Exception], Exception | None],
        reconnect_delays: Callable[[], Generator[float, None, None]],
        logger: LoggerLike,
    ) -> None:
        self.process_exception = process_exception
        self.reconnect_delays = reconnect_delays
        self.logger = logger
        self.delays: Generator[float, None, None] | None = None

    def after_failure(self, exc: Exception) -> float:
        """Seconds to wait before the next attempt, logged.

        Raises:
            Exception: ``exc``, or what ``process_exception`` returned or raised for it,
                when the failure isn't to be retried.
        """
        try:
            new_exc = self.process_exception(exc)
        except Exception as raised_exc:
            new_exc = raised_exc
        if new_exc is exc:
            raise exc
        if new_exc is not None:
            raise new_exc from exc
        if self.delays is None:
            self.delays = self.reconnect_delays()
        delay = next(self.delays)
        self.logger.info(
            "connect failed; reconnecting in %.1f seconds: %s", delay, describe_failure(exc)
        )
        return delay

    def after_success(self) -> None:
        self.delays = None


def describe_failure(exc: Exception) -> str:
    """How the reconnection log describes a failed attempt."""
    if isinstance(exc, InvalidMessage) and isinstance(exc.__cause__, EOFError):
        return f"{exc} (connection closed)"
    return f"{type(exc).__name__}: {exc}"


lazy_import(
    globals(),
    deprecated_aliases={
        name: entry.target
        for name, entry in aliases_in("client").items()
        if entry.target is not None
    },
)
