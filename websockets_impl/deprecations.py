"""The one table of what the websockets API deprecated or removed.

A plain data module: no imports from the package, cheap to import. The library
reads it to emit its run-time DeprecationWarnings and to serve lazy aliases;
the linter (``lint_plugin``) reads it to flag the same names statically, so the
two cannot drift. Paths are relative to the package root (``"client.connect"``
means ``websockets.client.connect`` upstream and ``websockets_impl.client.connect``
here).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Version = tuple[int, ...]

#: How the library signals the deprecation at run time.
#: - ``module``: importing the module warns.
#: - ``alias``: accessing the name (attribute access or ``from X import name``) warns
#:   with ``"{module}.{name} is deprecated"``.
#: - ``instantiation``: creating an instance warns.
#: - ``removed``: gone; importing or accessing it fails.
Kind = Literal["module", "alias", "instantiation", "removed"]


@dataclass(frozen=True)
class Deprecation:
    old: str
    """Deprecated path, relative to the package root."""
    kind: Kind
    since: Version
    """Version that deprecated it."""
    replacement: str | None
    """What to use instead, relative to the package root; ``None`` if nothing replaces it."""
    target: str | None = None
    """For aliases: the object the old name still points to."""
    removed: Version | None = None
    """Version that removed it, if any."""
    replacement_since: Version | None = None
    """Version where ``replacement`` first exists, when later than the new implementation (13.0)."""
    fallback: str | None = None
    """Replacement to use when the target version predates ``replacement_since``."""
    note: str = ""


DEPRECATIONS: tuple[Deprecation, ...] = (
    # Modules that warn when imported.
    Deprecation("legacy", "module", (14, 0), "asyncio", note="any websockets.legacy.* submodule"),
    Deprecation("auth", "module", (14, 0), "asyncio.server.basic_auth", target="legacy.auth"),
    Deprecation("connection", "module", (11, 0), "protocol", note="Connection is Protocol"),
    # Top-level aliases to the legacy implementation.
    Deprecation(
        "WebSocketClientProtocol",
        "alias",
        (14, 0),
        "ClientConnection",
        target="legacy.client.WebSocketClientProtocol",
        replacement_since=(14, 2),
        fallback="asyncio.client.ClientConnection",
    ),
    Deprecation(
        "WebSocketServerProtocol",
        "alias",
        (14, 0),
        "ServerConnection",
        target="legacy.server.WebSocketServerProtocol",
        replacement_since=(14, 2),
        fallback="asyncio.server.ServerConnection",
    ),
    Deprecation(
        "WebSocketServer",
        "alias",
        (14, 0),
        "Server",
        target="legacy.server.WebSocketServer",
        replacement_since=(14, 2),
        fallback="asyncio.server.Server",
    ),
    Deprecation(
        "WebSocketCommonProtocol",
        "alias",
        (14, 0),
        "asyncio.connection.Connection",
        target="legacy.protocol.WebSocketCommonProtocol",
    ),
    Deprecation(
        "BasicAuthWebSocketServerProtocol",
        "alias",
        (14, 0),
        "asyncio.server.basic_auth",
        target="legacy.auth.BasicAuthWebSocketServerProtocol",
    ),
    Deprecation(
        "basic_auth_protocol_factory",
        "alias",
        (14, 0),
        "asyncio.server.basic_auth",
        target="legacy.auth.basic_auth_protocol_factory",
    ),
    Deprecation(
        "AbortHandshake", "alias", (14, 0), None, target="legacy.exceptions.AbortHandshake"
    ),
    Deprecation(
        "RedirectHandshake", "alias", (14, 0), None, target="legacy.exceptions.RedirectHandshake"
    ),
    Deprecation(
        "InvalidStatusCode",
        "alias",
        (14, 0),
        "exceptions.InvalidStatus",
        target="legacy.exceptions.InvalidStatusCode",
    ),
    Deprecation(
        "WebSocketProtocolError",
        "alias",
        (14, 0),
        "exceptions.ProtocolError",
        target="exceptions.ProtocolError",
    ),
    # The same exceptions under websockets.exceptions.
    Deprecation(
        "exceptions.InvalidStatusCode",
        "alias",
        (14, 0),
        "exceptions.InvalidStatus",
        target="legacy.exceptions.InvalidStatusCode",
    ),
    Deprecation(
        "exceptions.AbortHandshake",
        "alias",
        (14, 0),
        None,
        target="legacy.exceptions.AbortHandshake",
    ),
    Deprecation(
        "exceptions.RedirectHandshake",
        "alias",
        (14, 0),
        None,
        target="legacy.exceptions.RedirectHandshake",
    ),
    Deprecation(
        "exceptions.WebSocketProtocolError",
        "alias",
        (14, 0),
        "exceptions.ProtocolError",
        target="exceptions.ProtocolError",
    ),
    # websockets.client / websockets.server aliases to the legacy implementation.
    Deprecation(
        "client.connect", "alias", (14, 0), "asyncio.client.connect", target="legacy.client.connect"
    ),
    Deprecation(
        "client.unix_connect",
        "alias",
        (14, 0),
        "asyncio.client.unix_connect",
        target="legacy.client.unix_connect",
    ),
    Deprecation(
        "client.WebSocketClientProtocol",
        "alias",
        (14, 0),
        "asyncio.client.ClientConnection",
        target="legacy.client.WebSocketClientProtocol",
    ),
    Deprecation(
        "server.serve", "alias", (14, 0), "asyncio.server.serve", target="legacy.server.serve"
    ),
    Deprecation(
        "server.unix_serve",
        "alias",
        (14, 0),
        "asyncio.server.unix_serve",
        target="legacy.server.unix_serve",
    ),
    Deprecation(
        "server.broadcast",
        "alias",
        (14, 0),
        "asyncio.server.broadcast",
        target="legacy.server.broadcast",
    ),
    Deprecation(
        "server.WebSocketServer",
        "alias",
        (14, 0),
        "asyncio.server.Server",
        target="legacy.server.WebSocketServer",
    ),
    Deprecation(
        "server.WebSocketServerProtocol",
        "alias",
        (14, 0),
        "asyncio.server.ServerConnection",
        target="legacy.server.WebSocketServerProtocol",
    ),
    # Sans-I/O classes renamed in 11.0; the old names warn when instantiated.
    Deprecation("client.ClientConnection", "instantiation", (11, 0), "client.ClientProtocol"),
    Deprecation("server.ServerConnection", "instantiation", (11, 0), "server.ServerProtocol"),
    # Removed outright in 17.0 (deprecated in 9.0).
    Deprecation("http", "removed", (9, 0), "datastructures", removed=(17, 0)),
    Deprecation("framing", "removed", (9, 0), "frames", removed=(17, 0)),
    Deprecation("handshake", "removed", (9, 0), None, removed=(17, 0)),
    Deprecation("parse_uri", "removed", (9, 0), "uri.parse_uri", removed=(17, 0)),
    Deprecation("WebSocketURI", "removed", (9, 0), "uri.WebSocketURI", removed=(17, 0)),
)

#: Top-level names that pointed to the legacy implementation before 14.0 and to the
#: new one since: name -> path of the new object.
SWITCHED_IN_14: dict[str, str] = {
    "connect": "asyncio.client.connect",
    "unix_connect": "asyncio.client.unix_connect",
    "serve": "asyncio.server.serve",
    "unix_serve": "asyncio.server.unix_serve",
    "broadcast": "asyncio.server.broadcast",
}

#: Version that introduced the new asyncio implementation (websockets.asyncio).
NEW_ASYNCIO_SINCE: Version = (13, 0)


def aliases_in(module: str) -> dict[str, Deprecation]:
    """Lazy deprecated aliases served by ``module`` ("" for the top level): name -> entry."""
    prefix = f"{module}." if module else ""
    found: dict[str, Deprecation] = {}
    for entry in DEPRECATIONS:
        if entry.kind != "alias" or not entry.old.startswith(prefix):
            continue
        name = entry.old[len(prefix) :]
        if "." not in name:
            found[name] = entry
    return found
