"""The exception hierarchy and its deprecated parts."""

from __future__ import annotations

import pytest

from websockets_impl import exceptions as exc
from websockets_impl.datastructures import Headers
from websockets_impl.frames import Close, CloseCode
from websockets_impl.http11 import Response


class TestHierarchy:
    @pytest.mark.parametrize(
        ("child", "parent"),
        [
            (exc.ConnectionClosed, exc.WebSocketException),
            (exc.ConnectionClosedOK, exc.ConnectionClosed),
            (exc.ConnectionClosedError, exc.ConnectionClosed),
            (exc.InvalidURI, exc.WebSocketException),
            (exc.InvalidProxy, exc.WebSocketException),
            (exc.SecurityError, exc.InvalidHandshake),
            (exc.RequestLineTooLong, exc.SecurityError),
            (exc.StatusLineTooLong, exc.SecurityError),
            (exc.HeaderLineTooLong, exc.SecurityError),
            (exc.TooManyHeaders, exc.SecurityError),
            (exc.InvalidProxyMessage, exc.ProxyError),
            (exc.InvalidProxyStatus, exc.ProxyError),
            (exc.ProxyError, exc.InvalidHandshake),
            (exc.InvalidMessage, exc.InvalidHandshake),
            (exc.InvalidMethod, exc.InvalidHandshake),
            (exc.InvalidProtocol, exc.InvalidHandshake),
            (exc.InvalidStatus, exc.InvalidHandshake),
            (exc.InvalidHeaderFormat, exc.InvalidHeader),
            (exc.InvalidHeaderValue, exc.InvalidHeader),
            (exc.InvalidOrigin, exc.InvalidHeader),
            (exc.InvalidUpgrade, exc.InvalidHeader),
            (exc.InvalidHeader, exc.InvalidHandshake),
            (exc.DuplicateParameter, exc.NegotiationError),
            (exc.InvalidParameterName, exc.NegotiationError),
            (exc.InvalidParameterValue, exc.NegotiationError),
            (exc.NegotiationError, exc.InvalidHandshake),
            (exc.ProtocolError, exc.WebSocketException),
            (exc.PayloadTooBig, exc.WebSocketException),
            (exc.TooManyFragments, exc.WebSocketException),
            (exc.InvalidState, exc.WebSocketException),
            (exc.InvalidState, AssertionError),
            (exc.ConcurrencyError, exc.WebSocketException),
            (exc.ConcurrencyError, RuntimeError),
        ],
    )
    def test_subclass(self, child: type, parent: type) -> None:
        assert issubclass(child, parent)

    def test_every_public_name_is_an_exception(self) -> None:
        for name in exc.__all__:
            assert issubclass(getattr(exc, name), exc.WebSocketException)


class TestConnectionClosed:
    @pytest.mark.parametrize(
        ("rcvd", "sent", "rcvd_then_sent", "expected"),
        [
            (None, None, None, "no close frame received or sent"),
            (Close(1000, ""), None, None, "received 1000 (OK); no close frame sent"),
            (None, Close(1001, "x"), None, "sent 1001 (going away) x; no close frame received"),
            (Close(1000, ""), Close(1000, ""), True, "received 1000 (OK); then sent 1000 (OK)"),
            (Close(1002, ""), Close(1000, ""), False, "sent 1000 (OK); then received 1002"),
        ],
    )
    def test_str(
        self, rcvd: Close | None, sent: Close | None, rcvd_then_sent: bool | None, expected: str
    ) -> None:
        assert str(exc.ConnectionClosed(rcvd, sent, rcvd_then_sent)).startswith(expected)

    def test_code_and_reason_are_deprecated(self) -> None:
        closed = exc.ConnectionClosedOK(Close(1001, "bye"), None)
        with pytest.warns(DeprecationWarning, match="ConnectionClosed.code is deprecated"):
            assert closed.code == 1001
        with pytest.warns(DeprecationWarning, match="ConnectionClosed.reason is deprecated"):
            assert closed.reason == "bye"

    def test_code_and_reason_without_close_frame(self) -> None:
        closed = exc.ConnectionClosedError(None, None)
        with pytest.warns(DeprecationWarning):
            assert closed.code == CloseCode.ABNORMAL_CLOSURE == 1006
        with pytest.warns(DeprecationWarning):
            assert closed.reason == ""


class TestPayloadTooBig:
    def test_sizes(self) -> None:
        error = exc.PayloadTooBig(200, 100)
        assert (error.size, error.max_size, error.current_size) == (200, 100, None)
        assert str(error) == "frame with 200 bytes exceeds limit of 100 bytes"

    def test_current_size_turns_the_room_left_into_the_limit(self) -> None:
        error = exc.PayloadTooBig(50, 30, 70)
        assert (error.size, error.max_size, error.current_size) == (50, 100, 70)
        assert str(error) == "frame with 50 bytes after reading 70 bytes exceeds limit of 100 bytes"

    def test_set_current_size_later(self) -> None:
        error = exc.PayloadTooBig(8, 4)
        error.set_current_size(12)
        assert str(error) == "frame with 8 bytes after reading 12 bytes exceeds limit of 16 bytes"

    def test_unknown_size(self) -> None:
        assert str(exc.PayloadTooBig(None, 4)) == "frame exceeds limit of 4 bytes"
        assert str(exc.PayloadTooBig(None, 4, 12)) == (
            "frame after reading 12 bytes exceeds limit of 16 bytes"
        )

    def test_string_argument_is_deprecated(self) -> None:
        with pytest.warns(DeprecationWarning) as warned:
            error = exc.PayloadTooBig("too big")
        assert [str(w.message) for w in warned] == [
            "PayloadTooBig(message) is deprecated; change to PayloadTooBig(size, max_size)"
        ]
        assert str(error) == "too big"


class TestMessages:
    def test_invalid_status(self) -> None:
        response = Response(404, "Not Found", Headers())
        error = exc.InvalidStatus(response)
        assert error.response is response
        assert str(error) == "server rejected WebSocket connection: HTTP 404"

    def test_invalid_header(self) -> None:
        assert str(exc.InvalidHeader("Upgrade")) == "missing Upgrade header"
        assert str(exc.InvalidHeader("Upgrade", "")) == "empty Upgrade header"
        assert str(exc.InvalidHeader("Upgrade", "h2c")) == "invalid Upgrade header: h2c"

    def test_invalid_header_format(self) -> None:
        error = exc.InvalidHeaderFormat("Connection", "expected token", "a b", 2)
        assert error.name == "Connection"
        assert str(error) == "invalid Connection header: expected token at 2 in a b"

    def test_invalid_origin(self) -> None:
        assert exc.InvalidOrigin("https://evil").name == "Origin"
        assert str(exc.InvalidOrigin(None)) == "missing Origin header"

    def test_parameters(self) -> None:
        assert str(exc.DuplicateParameter("a")) == "duplicate parameter: a"
        assert str(exc.InvalidParameterName("a")) == "invalid parameter name: a"
        assert str(exc.InvalidParameterValue("a", "8")) == "invalid value for parameter a: 8"
        assert str(exc.InvalidParameterValue("a", None)) == "missing value for parameter a"

    def test_uri_and_proxy(self) -> None:
        assert str(exc.InvalidURI("http://x", "bad")) == "http://x isn't a valid URI: bad"
        assert str(exc.InvalidProxy("x://y", "bad")) == "x://y isn't a valid proxy: bad"

    def test_method_protocol_and_fragments(self) -> None:
        assert exc.InvalidMethod("POST").method == "POST"
        assert str(exc.InvalidMethod("POST")) == "unsupported HTTP method: POST"
        assert str(exc.InvalidProtocol("HTTP/1.0")) == "unsupported HTTP version: HTTP/1.0"
        assert exc.TooManyFragments(4096).max_fragments == 4096
        assert "4096" in str(exc.TooManyFragments(4096))
