"""Parsers and builders for the HTTP headers of the opening handshake.

The grammar is RFC 9110's: tokens, quoted strings, optional whitespace and
comma-separated lists that tolerate empty elements.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Callable, Sequence
from typing import NewType, TypeAlias, TypeVar

from .exceptions import InvalidHeaderFormat, InvalidHeaderValue
from .typing import ExtensionName, ExtensionParameter, Subprotocol

__all__ = [
    "ConnectionOption",
    "ExtensionHeader",
    "UpgradeProtocol",
    "build_authorization_basic",
    "build_extension",
    "build_host",
    "build_subprotocol",
    "build_www_authenticate_basic",
    "parse_authorization_basic",
    "parse_connection",
    "parse_extension",
    "parse_subprotocol",
    "parse_upgrade",
    "validate_subprotocols",
]

ConnectionOption = NewType("ConnectionOption", str)
UpgradeProtocol = NewType("UpgradeProtocol", str)
ExtensionHeader: TypeAlias = tuple[ExtensionName, list[ExtensionParameter]]

T = TypeVar("T")

_OWS = re.compile(r"[\t ]*")
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_QUOTED_STRING = re.compile(r'"(?:[\x09\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x09\x20-\x7e\x80-\xff])*"')
_QUOTED_PAIR = re.compile(r"\\([\x09\x20-\x7e\x80-\xff])")
_PROTOCOL = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:/[!#$%&'*+\-.^_`|~0-9A-Za-z]+)?")
_TOKEN68 = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


def build_host(host: str, port: int, secure: bool, *, always_include_port: bool = False) -> str:
    """The Host header for ``host`` and ``port``; the default port is left out."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        if address.version == 6:
            host = f"[{host}]"
    if always_include_port or port != (443 if secure else 80):
        host = f"{host}:{port}"
    return host


def _ows(header: str, pos: int) -> int:
    match = _OWS.match(header, pos)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _token(header: str, pos: int, name: str) -> tuple[str, int]:
    match = _TOKEN.match(header, pos)
    if match is None:
        raise InvalidHeaderFormat(name, "expected token", header, pos)
    return match.group(), match.end()


def _token_or_quoted(header: str, pos: int, name: str) -> tuple[str, int]:
    if header.startswith('"', pos):
        match = _QUOTED_STRING.match(header, pos)
        if match is None:
            raise InvalidHeaderFormat(name, "expected quoted string", header, pos)
        return _QUOTED_PAIR.sub(r"\1", match.group()[1:-1]), match.end()
    return _token(header, pos, name)


def _list(parse_item: Callable[[str, int, str], tuple[T, int]], header: str, name: str) -> list[T]:
    """Parse ``1#item``: at least one item, separated by commas, empty elements allowed."""
    items: list[T] = []
    pos = _ows(header, 0)
    while True:
        # Skip empty elements: ",  ," is legal in a list.
        while header.startswith(",", pos):
            pos = _ows(header, pos + 1)
        if pos == len(header):
            break
        item, pos = parse_item(header, pos, name)
        items.append(item)
        pos = _ows(header, pos)
        if pos == len(header):
            break
        if not header.startswith(",", pos):
            raise InvalidHeaderFormat(name, "expected comma", header, pos)
    if not items:
        raise InvalidHeaderFormat(name, "expected at least one element", header, pos)
    return items


def parse_connection(header: str) -> list[ConnectionOption]:
    """Parse a Connection header: a list of tokens.

    Raises:
        InvalidHeaderFormat: The header is malformed.
    """

    def item(header: str, pos: int, name: str) -> tuple[ConnectionOption, int]:
        token, pos = _token(header, pos, name)
        return ConnectionOption(token), pos

    return _list(item, header, "Connection")


def parse_upgrade(header: str) -> list[UpgradeProtocol]:
    """Parse an Upgrade header: a list of ``name[/version]`` protocols.

    Raises:
        InvalidHeaderFormat: The header is malformed.
    """

    def item(header: str, pos: int, name: str) -> tuple[UpgradeProtocol, int]:
        match = _PROTOCOL.match(header, pos)
        if match is None:
            raise InvalidHeaderFormat(name, "expected protocol", header, pos)
        return UpgradeProtocol(match.group()), match.end()

    return _list(item, header, "Upgrade")


def _extension(header: str, pos: int, name: str) -> tuple[ExtensionHeader, int]:
    extension_name, pos = _token(header, pos, name)
    params: list[ExtensionParameter] = []
    while True:
        pos = _ows(header, pos)
        if not header.startswith(";", pos):
            return (ExtensionName(extension_name), params), pos
        pos = _ows(header, pos + 1)
        param_name, pos = _token(header, pos, name)
        pos_after_name = pos
        pos = _ows(header, pos)
        param_value: str | None = None
        if header.startswith("=", pos):
            pos = _ows(header, pos + 1)
            value_pos = pos
            param_value, pos = _token_or_quoted(header, pos, name)
            # RFC 6455 9.1: a quoted value must still be a token once unquoted.
            if not _TOKEN.fullmatch(param_value):
                raise InvalidHeaderFormat(name, "invalid quoted parameter value", header, value_pos)
        else:
            pos = pos_after_name
        params.append((param_name, param_value))


def parse_extension(header: str) -> list[ExtensionHeader]:
    """Parse a Sec-WebSocket-Extensions header.

    Returns a list of ``(name, [(parameter, value or None), ...])`` in header order.

    Raises:
        InvalidHeaderFormat: The header is malformed.
    """
    return _list(_extension, header, "Sec-WebSocket-Extensions")


def build_extension(extensions: Sequence[ExtensionHeader]) -> str:
    """Build a Sec-WebSocket-Extensions header; the inverse of :func:`parse_extension`."""
    return ", ".join(
        "".join(
            [name]
            + [f"; {param}" if value is None else f"; {param}={value}" for param, value in params]
        )
        for name, params in extensions
    )


def parse_subprotocol(header: str) -> list[Subprotocol]:
    """Parse a Sec-WebSocket-Protocol header: a list of tokens.

    Raises:
        InvalidHeaderFormat: The header is malformed.
    """

    def item(header: str, pos: int, name: str) -> tuple[Subprotocol, int]:
        token, pos = _token(header, pos, name)
        return Subprotocol(token), pos

    return _list(item, header, "Sec-WebSocket-Protocol")


def build_subprotocol(subprotocols: Sequence[Subprotocol]) -> str:
    """Build a Sec-WebSocket-Protocol header."""
    return ", ".join(subprotocols)


def validate_subprotocols(subprotocols: Sequence[Subprotocol]) -> None:
    """Check that ``subprotocols`` is a sequence of tokens.

    Raises:
        TypeError: It isn't a sequence, or it's a single string.
        ValueError: An item isn't a token.
    """
    if not isinstance(subprotocols, Sequence):
        raise TypeError("subprotocols must be a list")
    if isinstance(subprotocols, str):
        raise TypeError("subprotocols must be a list, not a str")
    for subprotocol in subprotocols:
        if not isinstance(subprotocol, str) or not _TOKEN.fullmatch(subprotocol):
            raise ValueError(f"invalid subprotocol: {subprotocol}")


def build_quoted_string(value: str) -> str:
    """Quote ``value``, escaping double quotes and backslashes.

    Raises:
        ValueError: ``value`` holds a character a quoted-string can't carry: a control
            character other than tab, or one above U+00FF.
    """
    if not _QUOTABLE.fullmatch(value):
        raise ValueError("invalid characters for quoted-string encoding")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# RFC 9110 5.6.4: qdtext and quoted-pair cover tab, visible ASCII, space and obs-text.
_QUOTABLE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")


def build_www_authenticate_basic(realm: str) -> str:
    """The WWW-Authenticate header that asks for Basic credentials (RFC 7617).

    Raises:
        ValueError: ``realm`` can't be sent as a quoted-string.
    """
    return f"Basic realm={build_quoted_string(realm)}, charset={build_quoted_string('UTF-8')}"


def parse_authorization_basic(header: str) -> tuple[str, str]:
    """Parse an Authorization header with Basic credentials.

    Returns ``(username, password)``.

    Raises:
        InvalidHeaderFormat: The header is malformed.
        InvalidHeaderValue: The scheme isn't Basic or the credentials can't be decoded.
    """
    name = "Authorization"
    scheme, pos = _token(header, 0, name)
    if scheme.lower() != "basic":
        raise InvalidHeaderValue(name, f"unsupported scheme: {scheme}")
    if not header.startswith(" ", pos):
        raise InvalidHeaderFormat(name, "expected space after scheme", header, pos)
    pos += 1
    match = _TOKEN68.match(header, pos)
    if match is None or match.end() != len(header):
        raise InvalidHeaderFormat(name, "expected base64-encoded credentials", header, pos)
    try:
        user_pass = base64.b64decode(match.group(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidHeaderValue(name, "credentials aren't valid base64 UTF-8") from exc
    username, colon, password = user_pass.partition(":")
    if not colon:
        raise InvalidHeaderValue(name, "credentials lack a colon")
    return username, password


def build_authorization_basic(username: str, password: str) -> str:
    """The Authorization header for Basic credentials (RFC 7617).

    Raises:
        ValueError: ``username`` contains a colon, which Basic can't represent.
    """
    if ":" in username:
        raise ValueError("username can't contain a colon")
    credentials = base64.b64encode(f"{username}:{password}".encode()).decode()
    return f"Basic {credentials}"
