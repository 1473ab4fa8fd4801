"""Canonical qualified names the rules match against.

Every target module (``websockets``, ``websockets_impl``, ...) is canonicalised
to ``websockets`` so that rules are written once; replacements are rendered back
with the root the user's code imported.
"""

from __future__ import annotations

from lint_plugin._deprecations_data import DEPRECATIONS, SWITCHED_IN_14

ROOT = "websockets"


def _both(*paths: str) -> frozenset[str]:
    return frozenset(f"{ROOT}.{p}" for p in paths)


#: connect() in every implementation and alias.
NEW_CONNECT = _both("asyncio.client.connect", "asyncio.client.unix_connect")
LEGACY_CONNECT = _both(
    "legacy.client.connect",
    "legacy.client.unix_connect",
    "legacy.client.Connect",
    "client.connect",
    "client.unix_connect",
    "client.Connect",
)
TOP_CONNECT = _both("connect", "unix_connect")
CONNECT = NEW_CONNECT | LEGACY_CONNECT | TOP_CONNECT

NEW_SERVE = _both("asyncio.server.serve", "asyncio.server.unix_serve")
LEGACY_SERVE = _both(
    "legacy.server.serve",
    "legacy.server.unix_serve",
    "legacy.server.Serve",
    "server.serve",
    "server.unix_serve",
    "server.Serve",
)
TOP_SERVE = _both("serve", "unix_serve")
SERVE = NEW_SERVE | LEGACY_SERVE | TOP_SERVE

#: Legacy classes whose subclasses and instances are legacy connections.
LEGACY_PROTOCOL_CLASSES = _both(
    "legacy.server.WebSocketServerProtocol",
    "legacy.client.WebSocketClientProtocol",
    "legacy.protocol.WebSocketCommonProtocol",
    "legacy.auth.BasicAuthWebSocketServerProtocol",
    "WebSocketServerProtocol",
    "WebSocketClientProtocol",
    "WebSocketCommonProtocol",
    "BasicAuthWebSocketServerProtocol",
    "server.WebSocketServerProtocol",
    "client.WebSocketClientProtocol",
    "auth.BasicAuthWebSocketServerProtocol",
    "protocol.WebSocketCommonProtocol",
)
LEGACY_FACTORY_CLASSES = _both("legacy.client.Connect", "legacy.server.Serve")
#: The legacy ``connect`` / ``serve``, classes that code subclasses (the top-level
#: ``connect`` / ``serve`` are these too before 14.0).
LEGACY_FACTORIES = _both(
    "legacy.client.connect",
    "legacy.client.Connect",
    "client.connect",
    "client.Connect",
    "legacy.server.serve",
    "legacy.server.Serve",
    "server.serve",
    "server.Serve",
)
LEGACY_CLASSES = LEGACY_PROTOCOL_CLASSES | LEGACY_FACTORY_CLASSES

#: The threading implementation (``websockets.sync``): no legacy version, the new API.
#: ``connect()`` returns the connection (no ``await``), ``reconnect()`` yields them, and
#: ``serve()`` calls its handler with the connection only.
SYNC_CONNECT = _both("sync.client.connect", "sync.client.unix_connect")
SYNC_RECONNECT = _both("sync.client.reconnect", "sync.client.unix_reconnect")
#: The threading client: the new implementation's, raising its exceptions.
THREADING_CLIENT = SYNC_CONNECT | SYNC_RECONNECT
SYNC_SERVE = _both("sync.server.serve", "sync.server.unix_serve")
SYNC_CONNECTION_CLASSES = _both(
    "sync.client.ClientConnection",
    "sync.server.ServerConnection",
    "sync.connection.Connection",
)

#: Classes whose instances are connections (for annotations and isinstance).
CONNECTION_CLASSES = (
    LEGACY_PROTOCOL_CLASSES
    | SYNC_CONNECTION_CLASSES
    | _both(
        "asyncio.client.ClientConnection",
        "asyncio.server.ServerConnection",
        "asyncio.connection.Connection",
        "ClientConnection",
        "ServerConnection",
    )
)

#: Classes whose instances are the servers ``serve()`` starts (asyncio, legacy and new).
SERVER_CLASSES = _both(
    "legacy.server.WebSocketServer",
    "server.WebSocketServer",
    "WebSocketServer",
    "asyncio.server.Server",
    "Server",
)

CONNECTION_CLOSED = _both(
    "ConnectionClosed",
    "ConnectionClosedOK",
    "ConnectionClosedError",
    "exceptions.ConnectionClosed",
    "exceptions.ConnectionClosedOK",
    "exceptions.ConnectionClosedError",
)

INVALID_STATUS_CODE = _both(
    "InvalidStatusCode", "exceptions.InvalidStatusCode", "legacy.exceptions.InvalidStatusCode"
)

BASIC_AUTH_FACTORY = _both(
    "basic_auth_protocol_factory",
    "auth.basic_auth_protocol_factory",
    "legacy.auth.basic_auth_protocol_factory",
)

VERSION_NAMES = _both("version_info", "__version__", "version.version", "version.tag")

PARTIAL = frozenset({"functools.partial"})

#: What replaces each legacy name, keyed by its canonical path (no root).
LEGACY_REPLACEMENTS: dict[str, str | None] = {
    "legacy.client.connect": "asyncio.client.connect",
    "legacy.client.unix_connect": "asyncio.client.unix_connect",
    "legacy.client.Connect": "asyncio.client.connect",
    "legacy.client.WebSocketClientProtocol": "asyncio.client.ClientConnection",
    "legacy.server.serve": "asyncio.server.serve",
    "legacy.server.unix_serve": "asyncio.server.unix_serve",
    "legacy.server.Serve": "asyncio.server.serve",
    "legacy.server.broadcast": "asyncio.server.broadcast",
    "legacy.server.WebSocketServer": "asyncio.server.Server",
    "legacy.server.WebSocketServerProtocol": "asyncio.server.ServerConnection",
    "legacy.protocol.WebSocketCommonProtocol": "asyncio.connection.Connection",
    "legacy.protocol.broadcast": "asyncio.server.broadcast",
    "legacy.auth.basic_auth_protocol_factory": "asyncio.server.basic_auth",
    "legacy.auth.BasicAuthWebSocketServerProtocol": "asyncio.server.basic_auth",
    "legacy.exceptions.InvalidStatusCode": "exceptions.InvalidStatus",
    "legacy.exceptions.InvalidMessage": "exceptions.InvalidMessage",
    "legacy.exceptions.WebSocketProtocolError": "exceptions.ProtocolError",
    "legacy.exceptions.AbortHandshake": None,
    "legacy.exceptions.RedirectHandshake": None,
    "legacy.framing": "frames",
    "legacy.handshake": None,
    "legacy.http": "http11",
    "legacy.client": "asyncio.client",
    "legacy.server": "asyncio.server",
    "legacy.protocol": "asyncio.connection",
    "legacy.auth": "asyncio.server",
    "legacy.exceptions": "exceptions",
    "legacy": "asyncio",
}

#: Core names the legacy asyncio modules import and so expose (``from
#: websockets.legacy.protocol import State`` runs): the same objects, imported from their
#: home in the core. Not ``legacy.framing`` / ``legacy.http``: their ``Frame`` and readers
#: are legacy ones.
LEGACY_MODULES_REEXPORTING = frozenset(
    {"legacy.protocol", "legacy.client", "legacy.server", "legacy.auth"}
)
CORE_REEXPORTS: dict[str, str] = {
    "State": "protocol.State",
    "Headers": "datastructures.Headers",
    "HeadersLike": "datastructures.HeadersLike",
    "MultipleValuesError": "datastructures.MultipleValuesError",
    "Close": "frames.Close",
    "CloseCode": "frames.CloseCode",
    "Opcode": "frames.Opcode",
    "Data": "typing.Data",
    "LoggerLike": "typing.LoggerLike",
    "Origin": "typing.Origin",
    "StatusLike": "typing.StatusLike",
    "Subprotocol": "typing.Subprotocol",
    "ConnectionClosed": "exceptions.ConnectionClosed",
    "ConnectionClosedError": "exceptions.ConnectionClosedError",
    "ConnectionClosedOK": "exceptions.ConnectionClosedOK",
    "InvalidHandshake": "exceptions.InvalidHandshake",
    "InvalidHeader": "exceptions.InvalidHeader",
    "InvalidOrigin": "exceptions.InvalidOrigin",
    "InvalidUpgrade": "exceptions.InvalidUpgrade",
    "NegotiationError": "exceptions.NegotiationError",
    "SecurityError": "exceptions.SecurityError",
}

DEPRECATION_BY_PATH = {d.old: d for d in DEPRECATIONS}
SWITCHED = SWITCHED_IN_14


def strip_root(qualname: str) -> str:
    """``websockets.a.b`` -> ``a.b``; ``websockets`` -> ``""``."""
    return qualname[len(ROOT) + 1 :] if qualname != ROOT else ""


def _with_parents(path: str) -> list[str]:
    """``a.b.c`` -> ``a``, ``a.b``, ``a.b.c``."""
    parts = path.split(".")
    return [".".join(parts[:count]) for count in range(1, len(parts) + 1)]


#: Every path a rule knows, and the modules above them, relative to the root: which of
#: two star imports a bare name comes from (see ``Bindings._star_binding``).
KNOWN_PATHS = frozenset(
    prefix
    for path in (
        *(
            strip_root(qualname)
            for qualnames in (
                CONNECT,
                SERVE,
                LEGACY_CLASSES,
                SYNC_CONNECT,
                SYNC_RECONNECT,
                SYNC_SERVE,
                CONNECTION_CLASSES,
                SERVER_CLASSES,
                CONNECTION_CLOSED,
                INVALID_STATUS_CODE,
                BASIC_AUTH_FACTORY,
                VERSION_NAMES,
            )
            for qualname in qualnames
        ),
        *LEGACY_REPLACEMENTS,
        *DEPRECATION_BY_PATH,
        *SWITCHED,
    )
    for prefix in _with_parents(path)
)
