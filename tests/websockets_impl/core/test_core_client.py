"""The Sans-I/O client: handshake request, response validation, reconnection policy."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys

import pytest

from websockets_impl.client import ClientProtocol, backoff, process_exception
from websockets_impl.datastructures import Headers
from websockets_impl.exceptions import (
    InvalidHandshake,
    InvalidHeader,
    InvalidHeaderValue,
    InvalidMessage,
    InvalidStatus,
    InvalidUpgrade,
    NegotiationError,
    StatusLineTooLong,
    TooManyHeaders,
)
from websockets_impl.extensions.permessage_deflate import (
    ClientPerMessageDeflateFactory,
    PerMessageDeflate,
)
from websockets_impl.frames import TEXT, Frame
from websockets_impl.http11 import MAX_LINE_LENGTH, Response
from websockets_impl.protocol import CLOSED, CONNECTING, OPEN, SEND_EOF
from websockets_impl.typing import Origin, Subprotocol
from websockets_impl.uri import parse_uri
from websockets_impl.utils import accept_key


def accepting_headers(client: ClientProtocol, **extra: str) -> Headers:
    headers = Headers(
        [
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Accept", accept_key(client.key)),
        ]
    )
    for name, value in extra.items():
        headers[name.replace("_", "-")] = value
    return headers


def respond(
    client: ClientProtocol, headers: Headers, status: str = "101 Switching Protocols"
) -> None:
    client.receive_data(f"HTTP/1.1 {status}\r\n".encode() + headers.serialize())


class TestConnect:
    def test_request(self) -> None:
        client = ClientProtocol(parse_uri("wss://example.com/chat?room=1"))
        request = client.connect()
        assert request.path == "/chat?room=1"
        assert request.method == "GET"
        assert list(request.headers.raw_items()) == [
            ("Host", "example.com"),
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", client.key),
            ("Sec-WebSocket-Version", "13"),
        ]

    def test_port_origin_extensions_subprotocols_credentials(self) -> None:
        client = ClientProtocol(
            parse_uri("ws://user:p%40ss@example.com:8080/"),
            origin=Origin("https://example.com"),
            extensions=[ClientPerMessageDeflateFactory()],
            subprotocols=[Subprotocol("chat"), Subprotocol("v2")],
        )
        headers = client.connect().headers
        assert headers["Host"] == "example.com:8080"
        assert headers["Authorization"] == "Basic dXNlcjpwQHNz"
        assert headers["Origin"] == "https://example.com"
        assert headers["Sec-WebSocket-Extensions"] == "permessage-deflate; client_max_window_bits"
        assert headers["Sec-WebSocket-Protocol"] == "chat, v2"

    def test_send_request(self) -> None:
        client = ClientProtocol(parse_uri("ws://example.com/"))
        request = client.connect()
        client.send_request(request)
        assert client.data_to_send() == [request.serialize()]
        assert client.state is CONNECTING

    def test_defaults(self) -> None:
        client = ClientProtocol(parse_uri("ws://example.com/"))
        assert client.state is CONNECTING
        assert client.max_message_size == 2**20
        assert client.logger.name == "websockets.client"  # type: ignore[union-attr]

    def test_arguments_are_keyword_only(self) -> None:
        with pytest.raises(TypeError):
            ClientProtocol(parse_uri("ws://example.com/"), None)  # type: ignore[misc]


class TestProcessResponse:
    def test_accepted(self) -> None:
        client = ClientProtocol(parse_uri("ws://example.com/"))
        client.send_request(client.connect())
        client.data_to_send()
        respond(client, accepting_headers(client))
        [response] = client.events_received()
        assert response.status_code == 101
        assert client.state is OPEN
        assert client.handshake_exc is None

    def test_frames_in_the_same_packet_as_the_response(self) -> None:
        client = ClientProtocol(parse_uri("ws://example.com/"))
        data = b"HTTP/1.1 101 Switching Protocols\r\n" + accepting_headers(client).serialize()
        client.receive_data(data + Frame(TEXT, b"hi").serialize(mask=False))
        [_, frame] = client.events_received()
        assert frame == Frame(TEXT, b"hi")

    def test_header_values_are_case_insensitive(self) -> None:
        client = ClientProtocol(parse_uri("ws://example.com/"))
        headers = Headers(
            [
                ("upgrade", "WebSocket"),
                ("connection", "keep-alive, UPGRADE"),
                ("sec-websocket-accept", accept_key(client.key)),
            ]
        )
        respond(client, headers)
        assert client.state is OPEN

    @pytest.mark.parametrize(
        ("change", "error"),
        [
            ({"Upgrade": None}, InvalidUpgrade),
            ({"Upgrade": "h2c"}, InvalidUpgrade),
            ({"Upgrade": "websocket, h2c"}, InvalidUpgrade),
            ({"Connection": None}, InvalidUpgrade),
            ({"Connection": "close"}, InvalidUpgrade),
            ({"Sec-WebSocket-Accept": None}, InvalidHeader),
            ({"Sec-WebSocket-Accept": "wrong"}, InvalidHeaderValue),
            ({"Sec-WebSocket-Extensions": "permessage-deflate"}, NegotiationError),
            ({"Sec-WebSocket-Protocol": "chat"}, NegotiationError),
        ],
    )
    def test_invalid(self, change: dict[str, str | None], error: type[Exception]) -> None:
        client = ClientProtocol(parse_uri("ws://example.com/"))
        headers = accepting_headers(client)
        for name, value in change.items():
            if name in headers:
                del headers[name]
            if value is not None:
                headers[name] = value
        respond(client, headers)
        assert isinstance(client.handshake_exc, error)
        [response] = client.events_received()
        with pytest.warns(DeprecationWarning):
            assert response.exception is client.handshake_exc
        assert client.state is CONNECTING
        assert client.data_to_send() == [SEND_EOF]
        assert client.close_expected()

    def test_duplicate_accept_header(self) -> None:
        client = ClientProtocol(parse_uri("ws://example.com/"))
        headers = accepting_headers(client)
        headers["Sec-WebSocket-Accept"] = accept_key(client.key)
        respond(client, headers)
        assert isinstance(client.handshake_exc, InvalidHeader)

    def test_rejected(self) -> None:
        client = ClientProtocol(parse_uri("ws://example.com/"))
        client.receive_data(b"HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope")
        assert isinstance(client.handshake_exc, InvalidStatus)
        assert client.handshake_exc.response.body == b"nope"
        assert client.data_to_send() == [SEND_EOF]
        client.receive_eof()
        assert client.state is CLOSED

    def test_malformed_response(self) -> None:
        client = ClientProtocol(parse_uri("ws://example.com/"))
        client.receive_data(b"HTTP/1.1 1O1 Typo\r\n\r\n")
        assert isinstance(client.handshake_exc, InvalidMessage)
        assert isinstance(client.handshake_exc.__cause__, ValueError)
        assert client.events_received() == []
        assert client.data_to_send() == [SEND_EOF]

    def test_connection_closed_during_handshake(self) -> None:
        client = ClientProtocol(parse_uri("ws://example.com/"))
        client.receive_data(b"HTTP/1.1 101 Switching")
        client.receive_eof()
        assert isinstance(client.handshake_exc, InvalidMessage)
        assert isinstance(client.handshake_exc.__cause__, EOFError)
        assert client.state is CLOSED

    def test_extension_negotiated(self) -> None:
        client = ClientProtocol(
            parse_uri("ws://example.com/"), extensions=[ClientPerMessageDeflateFactory()]
        )
        respond(
            client,
            accepting_headers(
                client, Sec_WebSocket_Extensions="permessage-deflate; server_max_window_bits=10"
            ),
        )
        [extension] = client.extensions
        assert isinstance(extension, PerMessageDeflate)
        assert extension.remote_max_window_bits == 10

    def test_extension_with_unacceptable_params(self) -> None:
        client = ClientProtocol(
            parse_uri("ws://example.com/"), extensions=[ClientPerMessageDeflateFactory()]
        )
        respond(client, accepting_headers(client, Sec_WebSocket_Extensions="permessage-deflate; x"))
        assert isinstance(client.handshake_exc, NegotiationError)
        assert str(client.handshake_exc) == (
            "Unsupported extension: name = permessage-deflate, params = [('x', None)]"
        )

    def test_unknown_extension(self) -> None:
        client = ClientProtocol(
            parse_uri("ws://example.com/"), extensions=[ClientPerMessageDeflateFactory()]
        )
        respond(client, accepting_headers(client, Sec_WebSocket_Extensions="x-unknown"))
        assert isinstance(client.handshake_exc, NegotiationError)
        assert str(client.handshake_exc) == "Unsupported extension: name = x-unknown, params = []"

    def test_status_line_too_long_is_not_wrapped(self) -> None:
        client = ClientProtocol(parse_uri("ws://example.com/"))
        client.receive_data(b"HTTP/1.1 101 " + b"x" * MAX_LINE_LENGTH + b"\r\n")
        assert type(client.handshake_exc) is StatusLineTooLong
        assert client.data_to_send() == [SEND_EOF]

    def test_too_many_headers_is_wrapped(self) -> None:
        client = ClientProtocol(parse_uri("ws://example.com/"))
        client.receive_data(b"HTTP/1.1 101 X\r\n" + b"X: y\r\n" * 200 + b"\r\n")
        assert type(client.handshake_exc) is InvalidMessage
        assert type(client.handshake_exc.__cause__) is TooManyHeaders

    def test_smtp_greeting_is_not_http(self) -> None:
        client = ClientProtocol(parse_uri("ws://example.com/"))
        client.receive_data(b"220 smtp.invalid\r\n")
        assert type(client.handshake_exc) is InvalidMessage
        assert str(client.handshake_exc) == "did not receive a valid HTTP response"
        assert str(client.handshake_exc.__cause__) == "invalid HTTP status line: 220 smtp.invalid"

    def test_subprotocol_negotiated(self) -> None:
        client = ClientProtocol(
            parse_uri("ws://example.com/"), subprotocols=[Subprotocol("chat"), Subprotocol("v2")]
        )
        respond(client, accepting_headers(client, Sec_WebSocket_Protocol="v2"))
        assert client.subprotocol == "v2"

    @pytest.mark.parametrize("value", ["other", "chat, v2"])
    def test_invalid_subprotocol(self, value: str) -> None:
        client = ClientProtocol(
            parse_uri("ws://example.com/"), subprotocols=[Subprotocol("chat"), Subprotocol("v2")]
        )
        respond(client, accepting_headers(client, Sec_WebSocket_Protocol=value))
        assert isinstance(client.handshake_exc, InvalidHandshake)
        assert client.subprotocol is None

    def test_no_subprotocol_selected(self) -> None:
        client = ClientProtocol(parse_uri("ws://example.com/"), subprotocols=[Subprotocol("chat")])
        respond(client, accepting_headers(client))
        assert client.subprotocol is None
        assert client.state is OPEN


class TestDeprecatedClientConnection:
    def test_warns_on_instantiation(self) -> None:
        from websockets_impl.client import ClientConnection

        with pytest.warns(
            DeprecationWarning, match="ClientConnection was renamed to ClientProtocol"
        ):
            client = ClientConnection(parse_uri("ws://example.com/"))
        assert isinstance(client, ClientProtocol)


class TestBackoff:
    def test_sequence(self) -> None:
        delays = list(itertools.islice(backoff(), 20))
        assert 0 <= delays[0] < 5
        assert delays[1] == pytest.approx(3.1)
        assert delays[2] == pytest.approx(3.1 * 1.618)
        assert all(later >= earlier for earlier, later in itertools.pairwise(delays[1:]))
        assert delays[-1] == 90.0
        assert max(delays) == 90.0

    def test_arguments(self) -> None:
        delays = list(itertools.islice(backoff(1.0, 2.0, 10.0, 2.0), 6))
        assert 0 <= delays[0] < 1
        assert delays[1:] == [2.0, 4.0, 8.0, 10.0, 10.0]

    def test_environment(self) -> None:
        code = (
            "import itertools; from websockets_impl.client import backoff; "
            "print(list(itertools.islice(backoff(), 1, 4)))"
        )
        env = {
            **os.environ,
            "WEBSOCKETS_BACKOFF_MIN_DELAY": "1",
            "WEBSOCKETS_BACKOFF_FACTOR": "3",
            "WEBSOCKETS_BACKOFF_MAX_DELAY": "5",
        }
        output = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert output.stdout.strip() == "[1.0, 3.0, 5.0]"


class TestProcessException:
    @staticmethod
    def invalid_message(cause: Exception) -> InvalidMessage:
        exc = InvalidMessage("did not receive a valid HTTP response")
        exc.__cause__ = cause
        return exc

    @pytest.mark.parametrize(
        "exc", [OSError("unreachable"), ConnectionRefusedError(), TimeoutError()]
    )
    def test_retried(self, exc: Exception) -> None:
        assert process_exception(exc) is None

    def test_eof_during_handshake_is_retried(self) -> None:
        assert process_exception(self.invalid_message(EOFError())) is None

    def test_other_invalid_message_is_fatal(self) -> None:
        exc = self.invalid_message(ValueError())
        assert process_exception(exc) is exc

    @pytest.mark.parametrize("status", [500, 502, 503, 504])
    def test_server_errors_are_retried(self, status: int) -> None:
        assert process_exception(InvalidStatus(Response(status, "", Headers()))) is None

    @pytest.mark.parametrize("status", [400, 401, 403, 404, 501])
    def test_client_errors_are_fatal(self, status: int) -> None:
        exc = InvalidStatus(Response(status, "", Headers()))
        assert process_exception(exc) is exc

    def test_anything_else_is_fatal(self) -> None:
        exc = ValueError()
        assert process_exception(exc) is exc
