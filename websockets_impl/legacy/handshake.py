"""The WebSocket opening handshake's headers (RFC 6455, section 4), without I/O.

The client calls :func:`build_request` then :func:`check_response`; the server
calls :func:`check_request` then :func:`build_response`.
"""

from __future__ import annotations

import base64
import binascii

from ..datastructures import Headers, MultipleValuesError
from ..exceptions import InvalidHeader, InvalidHeaderValue, InvalidUpgrade
from ..headers import parse_connection, parse_upgrade
from ..utils import accept_key, generate_key

__all__ = ["build_request", "build_response", "check_request", "check_response"]


def build_request(headers: Headers) -> str:
    """Add the client's handshake headers to ``headers``; return the key to check later."""
    key = generate_key()
    headers["Upgrade"] = "websocket"
    headers["Connection"] = "Upgrade"
    headers["Sec-WebSocket-Key"] = key
    headers["Sec-WebSocket-Version"] = "13"
    return key


def check_request(headers: Headers) -> str:
    """Check the client's handshake headers; return its key for :func:`build_response`.

    Raises InvalidHandshake (a subclass) when the request isn't a valid upgrade.
    """
    _check_upgrade(headers)
    key = _single_value(headers, "Sec-WebSocket-Key")
    try:
        raw_key = base64.b64decode(key.encode(), validate=True)
    except binascii.Error as exc:
        raise InvalidHeaderValue("Sec-WebSocket-Key", key) from exc
    if len(raw_key) != 16:
        raise InvalidHeaderValue("Sec-WebSocket-Key", key)
    version = _single_value(headers, "Sec-WebSocket-Version")
    if version != "13":
        raise InvalidHeaderValue("Sec-WebSocket-Version", version)
    return key


def build_response(headers: Headers, key: str) -> None:
    """Add the server's handshake headers to ``headers``."""
    headers["Upgrade"] = "websocket"
    headers["Connection"] = "Upgrade"
    headers["Sec-WebSocket-Accept"] = accept_key(key)


def check_response(headers: Headers, key: str) -> None:
    """Check the server's handshake headers against the ``key`` the client sent."""
    _check_upgrade(headers)
    accept = _single_value(headers, "Sec-WebSocket-Accept")
    if accept != accept_key(key):
        raise InvalidHeaderValue("Sec-WebSocket-Accept", accept)


def _check_upgrade(headers: Headers) -> None:
    connection = [opt for value in headers.get_all("Connection") for opt in parse_connection(value)]
    if not any(value.lower() == "upgrade" for value in connection):
        raise InvalidUpgrade("Connection", ", ".join(connection))
    upgrade = [proto for value in headers.get_all("Upgrade") for proto in parse_upgrade(value)]
    # RFC 6455 allows only "websocket" here, unlike RFC 9110's list of protocols.
    if not (len(upgrade) == 1 and upgrade[0].lower() == "websocket"):
        raise InvalidUpgrade("Upgrade", ", ".join(upgrade))


def _single_value(headers: Headers, name: str) -> str:
    try:
        return headers[name]
    except KeyError as exc:
        raise InvalidHeader(name) from exc
    except MultipleValuesError as exc:
        raise InvalidHeader(name, "multiple values") from exc
