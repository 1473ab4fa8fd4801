"""Sans-I/O WebSocket server: the opening handshake on top of :class:`~.protocol.Protocol`."""

from __future__ import annotations

import base64
import binascii
import email.utils
import http
import re
import types
import warnings
from collections.abc import Callable, Generator, Sequence
from typing import Any

from .datastructures import Headers, MultipleValuesError
from .deprecations import aliases_in
from .exceptions import (
    HeaderLineTooLong,
    InvalidHandshake,
    InvalidHeader,
    InvalidHeaderValue,
    InvalidMessage,
    InvalidMethod,
    InvalidOrigin,
    InvalidProtocol,
    InvalidStatus,
    InvalidUpgrade,
    NegotiationError,
    RequestLineTooLong,
    TooManyHeaders,
)
from .extensions import Extension, ServerExtensionFactory
from .headers import (
    ExtensionHeader,
    build_extension,
    parse_connection,
    parse_extension,
    parse_subprotocol,
    parse_upgrade,
)
from .http11 import Request, Response
from .imports import lazy_import
from .protocol import CONNECTING, OPEN, SERVER, Protocol, State
from .typing import LoggerLike, Origin, StatusLike, Subprotocol
from .utils import accept_key

__all__ = ["ServerProtocol"]

_BROWSER_HINT = (
    "You cannot access a WebSocket server directly with a browser. You need a WebSocket client.\n"
)


class ServerProtocol(Protocol):
    """Sans-I/O server connection.

    ``origins`` lists the Origin values accepted: strings, compiled regular
    expressions matched in full, and ``None`` for requests without Origin. ``None``
    accepts everything. ``select_subprotocol(protocol, subprotocols)`` replaces the
    default choice of subprotocol.
    """

    def __init__(
        self,
        *,
        origins: Sequence[Origin | re.Pattern[str] | None] | None = None,
        extensions: Sequence[ServerExtensionFactory] | None = None,
        subprotocols: Sequence[Subprotocol] | None = None,
        select_subprotocol: (
            Callable[[ServerProtocol, Sequence[Subprotocol]], Subprotocol | None] | None
        ) = None,
        state: State = CONNECTING,
        max_size: int | tuple[int | None, int | None] | None = 2**20,
        logger: LoggerLike | None = None,
    ) -> None:
        super().__init__(side=SERVER, state=state, max_size=max_size, logger=logger)
        self.accept_called = False
        self.origins = origins
        self.available_extensions = extensions
        self.available_subprotocols = subprotocols
        if select_subprotocol is not None:
            # Bound like a method, so that it overrides the default for this instance.
            self.select_subprotocol = types.MethodType(  # type: ignore[method-assign]
                select_subprotocol, self
            )

    def accept(self, request: Request) -> Response:
        """Answer a handshake request: 101 if it's valid, else an HTTP error.

        On failure, :attr:`handshake_exc` tells why: 405 for a method other than GET,
        505 for a protocol other than HTTP/1.1, 403 for a forbidden Origin, 426 for a
        request that isn't a WebSocket upgrade, 400 for other errors. Send the result
        with :meth:`send_response`, after adding headers such as Server if needed.
        """
        # send_response() logs a non-101 answer to a handshake as a rejection.
        self.accept_called = True
        try:
            key, extensions_header, protocol_header = self.process_request(request)
        except InvalidMethod as exc:
            response = self._refuse(request, exc, http.HTTPStatus.METHOD_NOT_ALLOWED)
            response.headers["Allow"] = "GET"
            return response
        except InvalidProtocol as exc:
            return self._refuse(request, exc, http.HTTPStatus.HTTP_VERSION_NOT_SUPPORTED)
        except InvalidOrigin as exc:
            return self._refuse(request, exc, http.HTTPStatus.FORBIDDEN)
        except InvalidUpgrade as exc:
            response = self._refuse(request, exc, http.HTTPStatus.UPGRADE_REQUIRED, _BROWSER_HINT)
            response.headers["Upgrade"] = "websocket"
            return response
        except InvalidHandshake as exc:
            response = self._refuse(request, exc, http.HTTPStatus.BAD_REQUEST)
            if isinstance(exc, InvalidHeader) and exc.name == "Sec-WebSocket-Version":
                # RFC 6455 4.4: tell the client which version the server speaks.
                response.headers["Sec-WebSocket-Version"] = "13"
            return response
        except Exception as exc:
            # A bug, e.g. in select_subprotocol: don't leak details to the client.
            self.logger.error("opening handshake failed", exc_info=True)
            self.handshake_exc = exc
            request._exception = exc
            return self.reject(
                http.HTTPStatus.INTERNAL_SERVER_ERROR,
                "Failed to open a WebSocket connection.\nSee server log for more information.\n",
            )

        headers = Headers()
        headers["Date"] = email.utils.formatdate(usegmt=True)
        headers["Upgrade"] = "websocket"
        headers["Connection"] = "Upgrade"
        headers["Sec-WebSocket-Accept"] = accept_key(key)
        if extensions_header is not None:
            headers["Sec-WebSocket-Extensions"] = extensions_header
        if protocol_header is not None:
            headers["Sec-WebSocket-Protocol"] = protocol_header
        return Response(101, "Switching Protocols", headers)

    def _refuse(
        self, request: Request, exc: InvalidHandshake, status: http.HTTPStatus, hint: str = ""
    ) -> Response:
        request._exception = exc
        self.handshake_exc = exc
        if self.debug:
            self.logger.debug("! invalid handshake request", exc_info=True)
        text = f"Failed to open a WebSocket connection: {exc}.\n"
        return self.reject(status, f"{text}\n{hint}" if hint else text)

    def process_request(self, request: Request) -> tuple[str, str | None, str | None]:
        """Validate a handshake request and negotiate extensions and subprotocol.

        Returns the Sec-WebSocket-Key and the values of the Sec-WebSocket-Extensions
        and Sec-WebSocket-Protocol response headers (``None`` to leave them out).

        Raises:
            InvalidHandshake: The request isn't acceptable.
        """
        if request.method != "GET":
            raise InvalidMethod(request.method)
        if request.protocol != "HTTP/1.1":
            raise InvalidProtocol(request.protocol)
        headers = request.headers
        connection = [
            option for value in headers.get_all("Connection") for option in parse_connection(value)
        ]
        if not any(option.lower() == "upgrade" for option in connection):
            raise InvalidUpgrade("Connection", ", ".join(connection) if connection else None)

        upgrade = [
            protocol for value in headers.get_all("Upgrade") for protocol in parse_upgrade(value)
        ]
        # RFC 6455 4.2.1 asks for "websocket" among possibly several protocols; only
        # accepting it alone keeps the upgrade unambiguous.
        if not (len(upgrade) == 1 and upgrade[0].lower() == "websocket"):
            raise InvalidUpgrade("Upgrade", ", ".join(upgrade) if upgrade else None)

        key = _single(headers, "Sec-WebSocket-Key")
        try:
            raw_key = base64.b64decode(key.encode(), validate=True)
        except (binascii.Error, UnicodeEncodeError) as exc:
            raise InvalidHeaderValue("Sec-WebSocket-Key", key) from exc
        if len(raw_key) != 16:
            raise InvalidHeaderValue("Sec-WebSocket-Key", key)

        version = _single(headers, "Sec-WebSocket-Version")
        if version != "13":
            raise InvalidHeaderValue("Sec-WebSocket-Version", version)

        self.origin = self.process_origin(headers)
        extensions_header, self.extensions = self.process_extensions(headers)
        self.subprotocol = self.process_subprotocol(headers)
        return key, extensions_header, self.subprotocol

    def process_origin(self, headers: Headers) -> Origin | None:
        """Check the Origin header against ``origins``.

        Raises:
            InvalidHandshake: Origin appears several times.
            InvalidOrigin: Origin isn't allowed.
        """
        try:
            origin = headers.get("Origin")
        except MultipleValuesError:
            raise InvalidHeader("Origin", "multiple values") from None
        if origin is not None:
            origin = Origin(origin)
        if self.origins is None:
            return origin
        for allowed in self.origins:
            if isinstance(allowed, re.Pattern):
                if origin is not None and allowed.fullmatch(origin):
                    return origin
            elif allowed == origin:
                return origin
        raise InvalidOrigin(origin)

    def process_extensions(self, headers: Headers) -> tuple[str | None, list[Extension]]:
        """Accept the client's extension offers that a factory accepts, in client order.

        Returns the Sec-WebSocket-Extensions response header and the extensions.

        Raises:
            InvalidHandshake: The Sec-WebSocket-Extensions header is malformed.
        """
        accepted: list[Extension] = []
        response_params: list[ExtensionHeader] = []
        values = headers.get_all("Sec-WebSocket-Extensions")
        if values and self.available_extensions:
            offers = [offer for value in values for offer in parse_extension(value)]
            for name, request_params in offers:
                for factory in self.available_extensions:
                    if factory.name != name:
                        continue
                    try:
                        params, extension = factory.process_request_params(request_params, accepted)
                    except NegotiationError:
                        continue
                    response_params.append((name, params))
                    accepted.append(extension)
                    break
        header = build_extension(response_params) if response_params else None
        return header, accepted

    def process_subprotocol(self, headers: Headers) -> Subprotocol | None:
        """Parse the subprotocols offered and let :meth:`select_subprotocol` choose.

        Raises:
            InvalidHandshake: The header is malformed or no subprotocol fits.
        """
        subprotocols = [
            subprotocol
            for value in headers.get_all("Sec-WebSocket-Protocol")
            for subprotocol in parse_subprotocol(value)
        ]
        return self.select_subprotocol(subprotocols)

    def select_subprotocol(self, subprotocols: Sequence[Subprotocol]) -> Subprotocol | None:
        """Choose a subprotocol among those the client offered.

        By default: the first of the server's subprotocols that the client offered;
        ``None`` when the server has none. Override it, or pass ``select_subprotocol``.

        Raises:
            NegotiationError: The server requires a subprotocol and none fits.
        """
        if not self.available_subprotocols:
            return None
        for subprotocol in self.available_subprotocols:
            if subprotocol in subprotocols:
                return subprotocol
        if not subprotocols:
            raise NegotiationError("missing subprotocol")
        raise NegotiationError(
            f"invalid subprotocol; expected one of {', '.join(self.available_subprotocols)}"
        )

    def reject(self, status: StatusLike, text: str) -> Response:
        """Build an HTTP error response with a plain text body.

        Send it with :meth:`send_response`; the connection closes after it.
        """
        status = http.HTTPStatus(status)
        body = text.encode()
        headers = Headers(
            [
                ("Date", email.utils.formatdate(usegmt=True)),
                ("Connection", "close"),
                ("Content-Length", str(len(body))),
                ("Content-Type", "text/plain; charset=utf-8"),
            ]
        )
        response = Response(status.value, status.phrase, headers, body)
        # The opening handshake failed, by this server's decision.
        if self.handshake_exc is None:
            self.handshake_exc = InvalidStatus(response)
        return response

    def send_response(self, response: Response) -> None:
        """Queue the handshake response; the connection opens on 101, closes otherwise.

        Logs at INFO ``connection open``, ``connection rejected (status)`` for another
        answer to a handshake that :meth:`accept` processed, or ``HTTP response sent
        (status)`` for a response built without it, e.g. by ``process_request``.
        """
        status = response.status_code
        if status == 101:
            self.logger.info("connection open")
        elif self.accept_called:
            self.logger.info("connection rejected (%d %s)", status, response.reason_phrase)
        else:
            self.logger.info("HTTP response sent (%d %s)", status, response.reason_phrase)
        if self.debug:
            self.logger.debug("> HTTP/1.1 %d %s", response.status_code, response.reason_phrase)
            for name, value in response.headers.raw_items():
                self.logger.debug("> %s: %s", name, value)
            if response.body:
                self.logger.debug("> [body] (%d bytes)", len(response.body))
        self.writes.append(response.serialize())
        if response.status_code == 101:
            assert self._state is CONNECTING
            self.state = OPEN
        else:
            self.send_eof()
            self.parser = self.discard()
            next(self.parser)

    def parse(self) -> Generator[None, None, None]:
        if self._state is CONNECTING:
            try:
                request = yield from Request.parse(self.reader.read_line)
            except Exception as exc:
                self._answer_unparsable(exc)
                yield
                raise AssertionError("parse() shouldn't step after failing") from None

            if self.debug:
                self.logger.debug("< %s %s %s", request.method, request.path, request.protocol)
                for name, value in request.headers.raw_items():
                    self.logger.debug("< %s: %s", name, value)
            self.events.append(request)
        yield from super().parse()

    def _answer_unparsable(self, exc: Exception) -> None:
        """Handle a request that couldn't be parsed, then close the connection.

        Requests over the size limits get 414 or 431. Anything else may not even be
        HTTP: it gets no answer, only the end of the stream.
        """
        status: http.HTTPStatus | None = None
        if isinstance(exc, RequestLineTooLong):
            self.handshake_exc = exc
            if self.debug:
                self.logger.debug("! request line too long")
            status = http.HTTPStatus.REQUEST_URI_TOO_LONG
        elif isinstance(exc, (HeaderLineTooLong, TooManyHeaders)):
            self.handshake_exc = exc
            if self.debug:
                self.logger.debug("! header fields too large")
            status = http.HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
        else:
            self.handshake_exc = InvalidMessage("did not receive a valid HTTP request")
            self.handshake_exc.__cause__ = exc
            if self.debug:
                self.logger.debug("! no valid HTTP request", exc_info=exc)
        if status is None:
            self.send_eof()
            self.parser = self.discard()
            next(self.parser)
        else:
            self.send_response(
                self.reject(status, f"Failed to open a WebSocket connection: {exc}.\n")
            )


def _single(headers: Headers, name: str) -> str:
    try:
        return headers[name]
    except KeyError:
        raise InvalidHeader(name) from None
    except MultipleValuesError:
        raise InvalidHeader(name, "multiple values") from None


class ServerConnection(ServerProtocol):
    """Deprecated name of :class:`ServerProtocol`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(
            "ServerConnection was renamed to ServerProtocol", DeprecationWarning, stacklevel=2
        )
        super().__init__(*args, **kwargs)


lazy_import(
    globals(),
    deprecated_aliases={
        name: entry.target
        for name, entry in aliases_in("server").items()
        if entry.target is not None
    },
)
