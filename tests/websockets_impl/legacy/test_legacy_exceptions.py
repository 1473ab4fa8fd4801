from __future__ import annotations

import http
import warnings

from websockets_impl.datastructures import Headers
from websockets_impl.exceptions import InvalidHandshake, InvalidMessage, ProtocolError

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from websockets_impl.legacy import exceptions as legacy_exceptions
    from websockets_impl.legacy.exceptions import (
        AbortHandshake,
        InvalidStatusCode,
        RedirectHandshake,
    )


def test_invalid_status_code() -> None:
    headers = Headers([("Content-Type", "text/plain")])
    exc = InvalidStatusCode(403, headers)
    assert isinstance(exc, InvalidHandshake)
    assert exc.status_code == 403
    assert exc.headers is headers
    assert str(exc) == "server rejected WebSocket connection: HTTP 403"


def test_abort_handshake() -> None:
    exc = AbortHandshake(404, [("X-A", "1"), ("X-B", "2")], b"not here")
    assert isinstance(exc, InvalidHandshake)
    assert exc.status is http.HTTPStatus.NOT_FOUND
    assert exc.headers["X-A"] == "1"
    assert exc.body == b"not here"
    assert str(exc) == "HTTP 404, 2 headers, 8 bytes"
    assert AbortHandshake(http.HTTPStatus.OK, {}).body == b""


def test_redirect_handshake() -> None:
    exc = RedirectHandshake("ws://other/")
    assert isinstance(exc, InvalidHandshake)
    assert exc.uri == "ws://other/"
    assert str(exc) == "redirect to ws://other/"


def test_reexports() -> None:
    assert legacy_exceptions.InvalidMessage is InvalidMessage
    assert legacy_exceptions.WebSocketProtocolError is ProtocolError
    assert set(legacy_exceptions.__all__) >= {
        "AbortHandshake",
        "InvalidMessage",
        "InvalidStatusCode",
        "RedirectHandshake",
        "WebSocketProtocolError",
    }
