"""Exceptions that only the legacy implementation raises."""

from __future__ import annotations

import http

from ..datastructures import Headers, HeadersLike
from ..exceptions import InvalidHandshake, InvalidMessage, ProtocolError

__all__ = [
    "AbortHandshake",
    "InvalidMessage",
    "InvalidStatusCode",
    "RedirectHandshake",
    "WebSocketProtocolError",
]

# The pre-8.0 name, kept because legacy code still imports it from here.
WebSocketProtocolError = ProtocolError


class InvalidStatusCode(InvalidHandshake):
    """The server answered the opening handshake with a status other than 101."""

    def __init__(self, status_code: int, headers: Headers) -> None:
        super().__init__(status_code, headers)
        self.status_code = status_code
        self.headers = headers

    def __str__(self) -> str:
        return f"server rejected WebSocket connection: HTTP {self.status_code}"


class AbortHandshake(InvalidHandshake):
    """Raised inside the server's opening handshake to send an HTTP response instead."""

    def __init__(
        self,
        status: http.HTTPStatus | int,
        headers: HeadersLike,
        body: bytes = b"",
    ) -> None:
        super().__init__(status, headers, body)
        self.status = http.HTTPStatus(status)
        self.headers = Headers(headers)
        self.body = body

    def __str__(self) -> str:
        return f"HTTP {self.status:d}, {len(self.headers)} headers, {len(self.body)} bytes"


class RedirectHandshake(InvalidHandshake):
    """The server answered the opening handshake with a redirect; the client follows it."""

    def __init__(self, uri: str) -> None:
        super().__init__(uri)
        self.uri = uri

    def __str__(self) -> str:
        return f"redirect to {self.uri}"
