"""WebSocket URIs (RFC 6455 section 3)."""

from __future__ import annotations

import dataclasses
import urllib.parse

from .exceptions import InvalidURI

__all__ = ["WebSocketURI", "parse_uri"]

# Characters left as they are when percent-encoding an IRI: reserved characters, and
# "%" so that existing escapes survive.
_SAFE = "!#$%&'()*+,/:;=?@[]~"

# Characters of a host as urllib returns it: an RFC 3986 reg-name (unreserved characters,
# sub-delimiters and percent escapes) or the inside of an IP literal ("::1", "fe80::1%25eth0").
# Anything else, e.g. NUL, a space or "<", would end up verbatim in the Host header.
_HOST_CHARACTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=%:"
)


@dataclasses.dataclass
class WebSocketURI:
    """A parsed ws:// or wss:// URI; ``username`` and ``password`` are percent-decoded."""

    secure: bool
    host: str
    port: int
    path: str
    query: str
    username: str | None = None
    password: str | None = None

    @property
    def resource_name(self) -> str:
        """Path and query, as sent in the request line."""
        return f"{self.path}?{self.query}" if self.query else self.path

    @property
    def user_info(self) -> tuple[str, str] | None:
        """``(username, password)`` when the URI has credentials."""
        if self.username is None:
            return None
        assert self.password is not None
        return self.username, self.password


def parse_uri(uri: str) -> WebSocketURI:
    """Parse and validate a WebSocket URI; IRIs become URIs.

    Raises:
        InvalidURI: ``uri`` isn't a valid WebSocket URI.
    """
    try:
        parsed = urllib.parse.urlparse(uri)
    except ValueError as exc:
        # An unclosed IPv6 literal, e.g. "ws://[::1".
        raise InvalidURI(uri, "hostname isn't valid") from exc
    if parsed.scheme not in ("ws", "wss"):
        raise InvalidURI(uri, "scheme isn't ws or wss")
    if parsed.hostname is None:
        raise InvalidURI(uri, "hostname isn't provided")
    if parsed.fragment != "":
        raise InvalidURI(uri, "fragment identifier is meaningless")
    secure = parsed.scheme == "wss"
    try:
        port = parsed.port
    except ValueError as exc:
        raise InvalidURI(uri, "port isn't valid") from exc
    if parsed.username is None:
        if parsed.password is not None:
            raise InvalidURI(uri, "password provided without username")
        username = password = None
    else:
        if parsed.password is None:
            raise InvalidURI(uri, "username provided without password")
        username = urllib.parse.unquote(parsed.username)
        password = urllib.parse.unquote(parsed.password)

    # Convert an IRI to a URI: IDNA for the host, percent-encoding for the rest.
    host = parsed.hostname
    try:
        host.encode("ascii")
    except UnicodeEncodeError:
        try:
            host = host.encode("idna").decode()
        except UnicodeError as exc:
            raise InvalidURI(uri, "hostname isn't a valid IDN") from exc
    if not _HOST_CHARACTERS.issuperset(host):
        raise InvalidURI(uri, "hostname isn't valid")

    return WebSocketURI(
        secure,
        host,
        # Port 0 can't be connected to: like an empty port, it means the default one.
        port or (443 if secure else 80),
        urllib.parse.quote(parsed.path or "/", safe=_SAFE),
        urllib.parse.quote(parsed.query, safe=_SAFE),
        username,
        password,
    )
