"""Exceptions raised by the library.

Hierarchy::

    WebSocketException
        ConnectionClosed
            ConnectionClosedOK
            ConnectionClosedError
        InvalidURI
        InvalidProxy
        InvalidHandshake
            SecurityError
                RequestLineTooLong
                StatusLineTooLong
                HeaderLineTooLong
                TooManyHeaders
            ProxyError
                InvalidProxyMessage
                InvalidProxyStatus
            InvalidMessage
            InvalidMethod
            InvalidProtocol
            InvalidStatus
            InvalidHeader
                InvalidHeaderFormat
                InvalidHeaderValue
                InvalidOrigin
                InvalidUpgrade
            NegotiationError
                DuplicateParameter
                InvalidParameterName
                InvalidParameterValue
        ProtocolError
        PayloadTooBig
        TooManyFragments
        InvalidState
        ConcurrencyError
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from .deprecations import aliases_in
from .imports import lazy_import

if TYPE_CHECKING:
    from .frames import Close
    from .http11 import Response

__all__ = [
    "ConcurrencyError",
    "ConnectionClosed",
    "ConnectionClosedError",
    "ConnectionClosedOK",
    "DuplicateParameter",
    "HeaderLineTooLong",
    "InvalidHandshake",
    "InvalidHeader",
    "InvalidHeaderFormat",
    "InvalidHeaderValue",
    "InvalidMessage",
    "InvalidMethod",
    "InvalidOrigin",
    "InvalidParameterName",
    "InvalidParameterValue",
    "InvalidProtocol",
    "InvalidProxy",
    "InvalidProxyMessage",
    "InvalidProxyStatus",
    "InvalidState",
    "InvalidStatus",
    "InvalidURI",
    "InvalidUpgrade",
    "NegotiationError",
    "PayloadTooBig",
    "ProtocolError",
    "ProxyError",
    "RequestLineTooLong",
    "SecurityError",
    "StatusLineTooLong",
    "TooManyFragments",
    "TooManyHeaders",
    "WebSocketException",
]


class WebSocketException(Exception):
    """Base class for all exceptions defined by this library."""


class ConnectionClosed(WebSocketException):
    """Raised when operating on a closed connection.

    ``rcvd`` and ``sent`` are the close frames received and sent, ``None`` when there
    was none. ``rcvd_then_sent`` tells their order when both exist.
    """

    def __init__(
        self, rcvd: Close | None, sent: Close | None, rcvd_then_sent: bool | None = None
    ) -> None:
        self.rcvd = rcvd
        self.sent = sent
        self.rcvd_then_sent = rcvd_then_sent
        # An order only makes sense when both frames exist.
        assert (self.rcvd_then_sent is None) == (self.rcvd is None or self.sent is None)

    def __str__(self) -> str:
        if self.rcvd is None:
            if self.sent is None:
                return "no close frame received or sent"
            return f"sent {self.sent}; no close frame received"
        if self.sent is None:
            return f"received {self.rcvd}; no close frame sent"
        if self.rcvd_then_sent:
            return f"received {self.rcvd}; then sent {self.sent}"
        return f"sent {self.sent}; then received {self.rcvd}"

    @property
    def code(self) -> int:
        """Deprecated: use ``rcvd.code``."""
        warnings.warn(
            "ConnectionClosed.code is deprecated; "
            "use Protocol.close_code or ConnectionClosed.rcvd.code",
            DeprecationWarning,
            stacklevel=2,
        )
        from .frames import CloseCode

        return CloseCode.ABNORMAL_CLOSURE if self.rcvd is None else self.rcvd.code

    @property
    def reason(self) -> str:
        """Deprecated: use ``rcvd.reason``."""
        warnings.warn(
            "ConnectionClosed.reason is deprecated; "
            "use Protocol.close_reason or ConnectionClosed.rcvd.reason",
            DeprecationWarning,
            stacklevel=2,
        )
        return "" if self.rcvd is None else self.rcvd.reason


class ConnectionClosedOK(ConnectionClosed):
    """Both sides exchanged close frames with code 1000, 1001 or no code."""


class ConnectionClosedError(ConnectionClosed):
    """The connection closed without a normal closing handshake."""


class InvalidURI(WebSocketException):
    """A WebSocket URI is malformed."""

    def __init__(self, uri: str, msg: str) -> None:
        self.uri = uri
        self.msg = msg

    def __str__(self) -> str:
        return f"{self.uri} isn't a valid URI: {self.msg}"


class InvalidProxy(WebSocketException):
    """A proxy URI is malformed."""

    def __init__(self, proxy: str, msg: str) -> None:
        self.proxy = proxy
        self.msg = msg

    def __str__(self) -> str:
        return f"{self.proxy} isn't a valid proxy: {self.msg}"


class InvalidHandshake(WebSocketException):
    """The opening handshake failed."""


class SecurityError(InvalidHandshake):
    """An HTTP message exceeded a limit set to protect against abuse."""


class RequestLineTooLong(SecurityError):
    """The HTTP request line exceeds ``MAX_LINE_LENGTH``."""


class StatusLineTooLong(SecurityError):
    """The HTTP status line exceeds ``MAX_LINE_LENGTH``."""


class HeaderLineTooLong(SecurityError):
    """An HTTP header line exceeds ``MAX_LINE_LENGTH``."""


class TooManyHeaders(SecurityError):
    """An HTTP message has more than ``MAX_NUM_HEADERS`` headers."""


class ProxyError(InvalidHandshake):
    """Connecting through a proxy failed."""


class InvalidProxyMessage(ProxyError):
    """The proxy's HTTP response is malformed."""


class InvalidProxyStatus(ProxyError):
    """The proxy refused the connection."""

    def __init__(self, response: Response) -> None:
        self.response = response

    def __str__(self) -> str:
        return f"proxy rejected connection: HTTP {self.response.status_code:d}"


class InvalidMessage(InvalidHandshake):
    """The handshake request or response is malformed."""


class InvalidMethod(InvalidHandshake):
    """The handshake request doesn't use the GET method."""

    def __init__(self, method: str) -> None:
        self.method = method

    def __str__(self) -> str:
        return f"unsupported HTTP method: {self.method}"


class InvalidProtocol(InvalidHandshake):
    """The handshake request doesn't use HTTP/1.1."""

    def __init__(self, protocol: str) -> None:
        self.protocol = protocol

    def __str__(self) -> str:
        return f"unsupported HTTP version: {self.protocol}"


class InvalidStatus(InvalidHandshake):
    """The server answered the handshake with a status other than 101."""

    def __init__(self, response: Response) -> None:
        self.response = response

    def __str__(self) -> str:
        return f"server rejected WebSocket connection: HTTP {self.response.status_code:d}"


class InvalidHeader(InvalidHandshake):
    """An HTTP header is missing or has an invalid value."""

    def __init__(self, name: str, value: str | None = None) -> None:
        self.name = name
        self.value = value

    def __str__(self) -> str:
        if self.value is None:
            return f"missing {self.name} header"
        if self.value == "":
            return f"empty {self.name} header"
        return f"invalid {self.name} header: {self.value}"


class InvalidHeaderFormat(InvalidHeader):
    """An HTTP header can't be parsed."""

    def __init__(self, name: str, error: str, header: str, pos: int) -> None:
        super().__init__(name, f"{error} at {pos} in {header}")


class InvalidHeaderValue(InvalidHeader):
    """An HTTP header has a value that is syntactically valid but not acceptable."""


class InvalidOrigin(InvalidHeader):
    """The Origin header isn't allowed."""

    def __init__(self, origin: str | None) -> None:
        super().__init__("Origin", origin)


class InvalidUpgrade(InvalidHeader):
    """The Upgrade or Connection header isn't what WebSocket requires."""


class NegotiationError(InvalidHandshake):
    """Negotiating an extension or a subprotocol failed."""


class DuplicateParameter(NegotiationError):
    """An extension parameter appears twice."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        return f"duplicate parameter: {self.name}"


class InvalidParameterName(NegotiationError):
    """An extension parameter has an unknown name."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        return f"invalid parameter name: {self.name}"


class InvalidParameterValue(NegotiationError):
    """An extension parameter has an invalid value."""

    def __init__(self, name: str, value: str | None) -> None:
        self.name = name
        self.value = value

    def __str__(self) -> str:
        if self.value is None:
            return f"missing value for parameter {self.name}"
        if self.value == "":
            return f"empty value for parameter {self.name}"
        return f"invalid value for parameter {self.name}: {self.value}"


class ProtocolError(WebSocketException):
    """The other side violated the WebSocket protocol."""


class PayloadTooBig(WebSocketException):
    """A frame or message exceeds the configured ``max_size``.

    ``size`` is the size of the frame that crossed the limit, or ``None`` when it isn't
    known, e.g. while decompressing. ``current_size`` is the size of the message
    received before that frame.
    """

    def __init__(
        self, size: int | str | None, max_size: int | None = None, current_size: int | None = None
    ) -> None:
        if isinstance(size, str):
            warnings.warn(
                "PayloadTooBig(message) is deprecated; change to PayloadTooBig(size, max_size)",
                DeprecationWarning,
                stacklevel=2,
            )
            self.message: str | None = size
            self.size: int | None = None
        else:
            self.message = None
            self.size = size
        self.max_size = max_size
        self.current_size: int | None = None
        if current_size is not None:
            self.set_current_size(current_size)

    def __str__(self) -> str:
        if self.message is not None:
            return self.message
        text = "frame "
        if self.size is not None:
            text += f"with {self.size} bytes "
        if self.current_size is not None:
            text += f"after reading {self.current_size} bytes "
        return f"{text}exceeds limit of {self.max_size} bytes"

    def set_current_size(self, current_size: int) -> None:
        """Record the size received before the frame.

        ``max_size`` was the room left in the message; it becomes the message limit.
        """
        assert self.current_size is None, "current size is already set"
        self.current_size = current_size
        if self.max_size is not None:
            self.max_size += current_size


class TooManyFragments(WebSocketException):
    """A fragmented message has more than ``max_fragments`` frames."""

    def __init__(self, max_fragments: int) -> None:
        self.max_fragments = max_fragments

    def __str__(self) -> str:
        return f"message has more than {self.max_fragments} fragments"


class InvalidState(WebSocketException, AssertionError):
    """An operation isn't allowed in the connection's current state."""


class ConcurrencyError(WebSocketException, RuntimeError):
    """Two coroutines or threads tried a forbidden concurrent operation."""


lazy_import(
    globals(),
    deprecated_aliases={
        name: entry.target
        for name, entry in aliases_in("exceptions").items()
        if entry.target is not None
    },
)
