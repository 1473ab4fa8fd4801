"""A clean-room implementation of the websockets API.

Every public name below is imported on first access, so ``import websockets_impl`` stays
cheap and doesn't load the asyncio implementation until it's used. Deprecated aliases
warn when accessed; names removed upstream raise AttributeError.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .deprecations import DEPRECATIONS, aliases_in
from .imports import lazy_import

# Where each name of __all__ lives: the modules' own __all__, constants left out.
EXPORTS: dict[str, list[str]] = {
    "asyncio.client": ["ClientConnection", "connect", "unix_connect"],
    "asyncio.router": ["Router", "route", "unix_route"],
    "asyncio.server": [
        "Server",
        "ServerConnection",
        "basic_auth",
        "broadcast",
        "serve",
        "unix_serve",
    ],
    "client": ["ClientProtocol"],
    "datastructures": ["Headers", "HeadersLike", "MultipleValuesError", "SupportsKeysAndGetItem"],
    "exceptions": [
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
    ],
    "frames": ["Close", "CloseCode", "Frame", "Opcode"],
    "http11": ["Request", "Response"],
    "protocol": ["Protocol", "Side", "State"],
    "server": ["ServerProtocol"],
    "typing": [
        "BytesLike",
        "Data",
        "DataLike",
        "ExtensionName",
        "ExtensionParameter",
        "LoggerLike",
        "Origin",
        "PathLike",
        "StatusLike",
        "Subprotocol",
    ],
}

__all__ = [
    "BytesLike",
    "ClientConnection",
    "ClientProtocol",
    "Close",
    "CloseCode",
    "ConcurrencyError",
    "ConnectionClosed",
    "ConnectionClosedError",
    "ConnectionClosedOK",
    "Data",
    "DataLike",
    "DuplicateParameter",
    "ExtensionName",
    "ExtensionParameter",
    "Frame",
    "HeaderLineTooLong",
    "Headers",
    "HeadersLike",
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
    "LoggerLike",
    "MultipleValuesError",
    "NegotiationError",
    "Opcode",
    "Origin",
    "PathLike",
    "PayloadTooBig",
    "Protocol",
    "ProtocolError",
    "ProxyError",
    "Request",
    "RequestLineTooLong",
    "Response",
    "Router",
    "SecurityError",
    "Server",
    "ServerConnection",
    "ServerProtocol",
    "Side",
    "State",
    "StatusLike",
    "StatusLineTooLong",
    "Subprotocol",
    "SupportsKeysAndGetItem",
    "TooManyFragments",
    "TooManyHeaders",
    "WebSocketException",
    "basic_auth",
    "broadcast",
    "connect",
    "route",
    "serve",
    "unix_connect",
    "unix_route",
    "unix_serve",
]

if TYPE_CHECKING:
    from .asyncio.client import ClientConnection, connect, unix_connect
    from .asyncio.router import Router, route, unix_route
    from .asyncio.server import (
        Server,
        ServerConnection,
        basic_auth,
        broadcast,
        serve,
        unix_serve,
    )
    from .client import ClientProtocol
    from .datastructures import (
        Headers,
        HeadersLike,
        MultipleValuesError,
        SupportsKeysAndGetItem,
    )
    from .exceptions import (
        ConcurrencyError,
        ConnectionClosed,
        ConnectionClosedError,
        ConnectionClosedOK,
        DuplicateParameter,
        HeaderLineTooLong,
        InvalidHandshake,
        InvalidHeader,
        InvalidHeaderFormat,
        InvalidHeaderValue,
        InvalidMessage,
        InvalidMethod,
        InvalidOrigin,
        InvalidParameterName,
        InvalidParameterValue,
        InvalidProtocol,
        InvalidProxy,
        InvalidProxyMessage,
        InvalidProxyStatus,
        InvalidState,
        InvalidStatus,
        InvalidUpgrade,
        InvalidURI,
        NegotiationError,
        PayloadTooBig,
        ProtocolError,
        ProxyError,
        RequestLineTooLong,
        SecurityError,
        StatusLineTooLong,
        TooManyFragments,
        TooManyHeaders,
        WebSocketException,
    )
    from .frames import Close, CloseCode, Frame, Opcode
    from .http11 import Request, Response
    from .protocol import Protocol, Side, State
    from .server import ServerProtocol
    from .typing import (
        BytesLike,
        Data,
        DataLike,
        ExtensionName,
        ExtensionParameter,
        LoggerLike,
        Origin,
        PathLike,
        StatusLike,
        Subprotocol,
    )
else:
    lazy_import(
        globals(),
        aliases={name: f"{module}.{name}" for module, names in EXPORTS.items() for name in names},
        deprecated_aliases={
            name: entry.target for name, entry in aliases_in("").items() if entry.target
        },
        removed=[
            entry.old for entry in DEPRECATIONS if entry.kind == "removed" and "." not in entry.old
        ],
    )
