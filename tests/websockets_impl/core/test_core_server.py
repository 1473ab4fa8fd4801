"""The Sans-I/O server: request validation, responses, negotiation."""

from __future__ import annotations

import http
import logging
import re
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from websockets_impl.datastructures import Headers
from websockets_impl.exceptions import (
    HeaderLineTooLong,
    InvalidHeader,
    InvalidHeaderValue,
    InvalidMessage,
    InvalidMethod,
    InvalidOrigin,
    InvalidProtocol,
    InvalidStatus,
    InvalidUpgrade,
    NegotiationError,
    RequestLineTooLong,
    TooManyHeaders,
)
from websockets_impl.extensions.permessage_deflate import (
    PerMessageDeflate,
    ServerPerMessageDeflateFactory,
    enable_server_permessage_deflate,
)
from websockets_impl.frames import TEXT, Frame
from websockets_impl.http11 import MAX_LINE_LENGTH, MAX_NUM_HEADERS, Request
from websockets_impl.protocol import CLOSED, CONNECTING, OPEN, SEND_EOF
from websockets_impl.server import ServerProtocol
from websockets_impl.typing import Origin, Subprotocol

KEY = "dGhlIHNhbXBsZSBub25jZQ=="


def debug_server() -> ServerProtocol:
    logger = logging.getLogger("test.server")
    logger.setLevel(logging.DEBUG)
    return ServerProtocol(logger=logger)


def make_request(**changes: str | None) -> Request:
    headers = Headers(
        [
            ("Host", "server.example.com"),
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", KEY),
            ("Sec-WebSocket-Version", "13"),
        ]
    )
    for key, value in changes.items():
        name = key.replace("_", "-")
        if name in headers:
            del headers[name]
        if value is not None:
            headers[name] = value
    return Request("/chat", headers)


def receive_request(server: ServerProtocol, request: Request) -> Request:
    server.receive_data(request.serialize())
    [received] = server.events_received()
    assert isinstance(received, Request)
    return received


class TestAccept:
    def test_rfc_example(self) -> None:
        server = ServerProtocol()
        response = server.accept(receive_request(server, make_request()))
        assert response.status_code == 101
        assert response.reason_phrase == "Switching Protocols"
        assert response.headers["Upgrade"] == "websocket"
        assert response.headers["Connection"] == "Upgrade"
        # RFC 6455 1.3.
        assert response.headers["Sec-WebSocket-Accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        assert "Date" in response.headers
        assert "Sec-WebSocket-Extensions" not in response.headers
        assert "Sec-WebSocket-Protocol" not in response.headers
        assert server.handshake_exc is None

    def test_send_response_opens(self) -> None:
        server = ServerProtocol()
        assert server.state is CONNECTING
        response = server.accept(receive_request(server, make_request()))
        server.send_response(response)
        assert server.data_to_send() == [response.serialize()]
        assert server.state is OPEN
        server.receive_data(Frame(TEXT, b"hi").serialize(mask=True))
        assert server.events_received() == [Frame(TEXT, b"hi")]

    def test_request_split_in_pieces(self) -> None:
        server = ServerProtocol()
        data = make_request().serialize()
        for index in range(0, len(data), 7):
            server.receive_data(data[index : index + 7])
        assert len(server.events_received()) == 1

    def test_case_insensitive_values(self) -> None:
        server = ServerProtocol()
        request = make_request(Upgrade="WebSocket", Connection="keep-alive, upgrade")
        assert server.accept(request).status_code == 101

    def test_defaults(self) -> None:
        server = ServerProtocol()
        assert server.logger.name == "websockets.server"  # type: ignore[union-attr]
        assert server.max_message_size == 2**20


class TestRejections:
    @pytest.mark.parametrize(
        ("changes", "status", "error"),
        [
            ({"Upgrade": None}, 426, InvalidUpgrade),
            ({"Upgrade": "h2c"}, 426, InvalidUpgrade),
            ({"Connection": None}, 426, InvalidUpgrade),
            ({"Connection": "keep-alive"}, 426, InvalidUpgrade),
            ({"Sec_WebSocket_Key": None}, 400, InvalidHeader),
            ({"Sec_WebSocket_Key": "not base64!"}, 400, InvalidHeaderValue),
            ({"Sec_WebSocket_Key": "c2hvcnQ="}, 400, InvalidHeaderValue),
            ({"Sec_WebSocket_Version": None}, 400, InvalidHeader),
            ({"Sec_WebSocket_Version": "8"}, 400, InvalidHeader),
            ({"Connection": "Upgrade,,bad token"}, 400, Exception),
        ],
    )
    def test_invalid_request(
        self, changes: dict[str, str | None], status: int, error: type[Exception]
    ) -> None:
        server = ServerProtocol()
        request = make_request(**changes)
        response = server.accept(request)
        assert response.status_code == status
        assert isinstance(server.handshake_exc, error)
        assert response.body.startswith(b"Failed to open a WebSocket connection")
        assert response.headers["Content-Length"] == str(len(response.body))
        with pytest.warns(DeprecationWarning):
            assert request.exception is server.handshake_exc

    def test_upgrade_required_tells_what_to_use(self) -> None:
        response = ServerProtocol().accept(make_request(Upgrade=None))
        assert response.headers["Upgrade"] == "websocket"
        assert b"You need a WebSocket client" in response.body

    def test_unsupported_version_gets_400_and_tells_which_one(self) -> None:
        server = ServerProtocol()
        response = server.accept(make_request(Sec_WebSocket_Version="11"))
        assert response.status_code == 400
        assert response.headers["Sec-WebSocket-Version"] == "13"
        assert isinstance(server.handshake_exc, InvalidHeader)
        assert str(server.handshake_exc) == "invalid Sec-WebSocket-Version header: 11"

    def test_duplicate_key(self) -> None:
        request = make_request()
        request.headers["Sec-WebSocket-Key"] = KEY
        server = ServerProtocol()
        assert server.accept(request).status_code == 400
        assert isinstance(server.handshake_exc, InvalidHeader)

    def test_method_not_allowed(self) -> None:
        server = ServerProtocol()
        server.receive_data(b"POST /chat HTTP/1.1\r\nHost: x\r\n\r\n")
        [request] = server.events_received()
        response = server.accept(request)
        assert response.status_code == 405
        assert response.headers["Allow"] == "GET"
        assert isinstance(server.handshake_exc, InvalidMethod)

    def test_http_1_0(self) -> None:
        server = ServerProtocol()
        server.receive_data(b"GET /chat HTTP/1.0\r\nHost: x\r\n\r\n")
        [request] = server.events_received()
        assert server.accept(request).status_code == 505
        assert isinstance(server.handshake_exc, InvalidProtocol)

    def test_rejection_closes_the_connection(self) -> None:
        server = ServerProtocol()
        response = server.accept(receive_request(server, make_request(Upgrade=None)))
        server.send_response(response)
        assert server.data_to_send() == [response.serialize(), SEND_EOF]
        assert server.state is CONNECTING
        assert server.close_expected()
        server.receive_eof()
        assert server.state is CLOSED

    def test_reject(self) -> None:
        server = ServerProtocol()
        response = server.reject(401, "Who are you?\n")
        assert (response.status_code, response.reason_phrase) == (401, "Unauthorized")
        assert response.body == b"Who are you?\n"
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert response.headers["Connection"] == "close"
        assert isinstance(server.handshake_exc, InvalidStatus)
        assert server.handshake_exc.response is response

    def test_bug_in_select_subprotocol_gives_500(self, caplog: pytest.LogCaptureFixture) -> None:
        def select(protocol: ServerProtocol, subprotocols: Sequence[Subprotocol]) -> Subprotocol:
            raise ZeroDivisionError

        server = ServerProtocol(select_subprotocol=select)
        response = server.accept(make_request())
        assert response.status_code == 500
        assert b"ZeroDivisionError" not in response.body
        assert isinstance(server.handshake_exc, ZeroDivisionError)
        assert "opening handshake failed" in caplog.text


class TestUnparsableRequests:
    def test_request_line_too_long_gets_414(self, caplog: pytest.LogCaptureFixture) -> None:
        server = debug_server()
        with caplog.at_level(logging.DEBUG, logger="test.server"):
            server.receive_data(b"GET /" + b"x" * MAX_LINE_LENGTH + b" HTTP/1.1\r\n")
        assert server.events_received() == []
        [response, eof] = server.data_to_send()
        # The reason phrase is Python's: "URI Too Long" from 3.13, "Request-URI Too Long" before.
        phrase = http.HTTPStatus.REQUEST_URI_TOO_LONG.phrase
        assert response.startswith(f"HTTP/1.1 414 {phrase}\r\n".encode())
        assert eof == SEND_EOF
        exc = server.handshake_exc
        assert type(exc) is RequestLineTooLong
        assert response.endswith(
            f"\r\n\r\nFailed to open a WebSocket connection: {exc}.\n".encode()
        )
        assert "! request line too long" in [record.getMessage() for record in caplog.records]

    @pytest.mark.parametrize(
        ("data", "exc_type"),
        [
            (b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * (MAX_NUM_HEADERS + 1), TooManyHeaders),
            (b"GET / HTTP/1.1\r\nX: " + b"y" * MAX_LINE_LENGTH + b"\r\n", HeaderLineTooLong),
        ],
    )
    def test_header_fields_too_large_get_431(
        self, data: bytes, exc_type: type[Exception], caplog: pytest.LogCaptureFixture
    ) -> None:
        server = debug_server()
        with caplog.at_level(logging.DEBUG, logger="test.server"):
            server.receive_data(data)
        [response, eof] = server.data_to_send()
        assert response.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")
        assert eof == SEND_EOF
        assert type(server.handshake_exc) is exc_type
        body = f"Failed to open a WebSocket connection: {server.handshake_exc}.\n"
        assert response.endswith(body.encode())
        assert "! header fields too large" in [record.getMessage() for record in caplog.records]

    @pytest.mark.parametrize(
        ("data", "cause"),
        [
            (b"HELO relay.invalid\r\n", "invalid HTTP request line: HELO relay.invalid"),
            (
                b"GET / HTTP/2.0\r\n\r\n",
                "unsupported protocol; expected HTTP/1.1 or HTTP/1.0: GET / HTTP/2.0",
            ),
            (b"GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", "unsupported request body"),
            (
                b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                "transfer codings aren't supported",
            ),
            (b"GET / HTTP/1.1\n", "connection closed while reading HTTP request line"),
        ],
    )
    def test_junk_gets_no_response(
        self, data: bytes, cause: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        server = debug_server()
        with caplog.at_level(logging.DEBUG, logger="test.server"):
            server.receive_data(data)
        # Only the end of the stream: the peer may not even speak HTTP.
        assert server.data_to_send() == [SEND_EOF]
        exc = server.handshake_exc
        assert type(exc) is InvalidMessage
        assert str(exc) == "did not receive a valid HTTP request"
        assert str(exc.__cause__) == cause
        [record] = [r for r in caplog.records if r.getMessage() == "! no valid HTTP request"]
        assert record.exc_info is not None and record.exc_info[1] is exc.__cause__
        # Further input is discarded.
        server.receive_data(b"GET / HTTP/1.1\r\n\r\n")
        assert server.events_received() == [] and server.data_to_send() == []
        server.receive_eof()
        assert server.state is CLOSED

    def test_connection_closed_before_request(self) -> None:
        server = ServerProtocol()
        server.receive_eof()
        assert isinstance(server.handshake_exc, InvalidMessage)
        assert isinstance(server.handshake_exc.__cause__, EOFError)
        assert str(server.handshake_exc.__cause__) == (
            "connection closed while reading HTTP request line"
        )
        assert server.data_to_send() == [SEND_EOF]
        assert server.state is CLOSED

    def test_connection_closed_during_headers(self) -> None:
        server = ServerProtocol()
        server.receive_data(b"GET / HTTP/1.1\r\n")
        server.receive_eof()
        assert isinstance(server.handshake_exc, InvalidMessage)
        assert isinstance(server.handshake_exc.__cause__, EOFError)
        assert server.data_to_send() == [SEND_EOF]
        assert server.state is CLOSED


class TestOrigin:
    @pytest.mark.parametrize(
        ("origins", "origin", "accepted"),
        [
            (None, "https://anything", True),
            (None, None, True),
            (["https://a.example"], "https://a.example", True),
            (["https://a.example"], "https://b.example", False),
            (["https://a.example"], None, False),
            (["https://a.example", None], None, True),
            ([re.compile(r"https://[a-z]+\.example")], "https://b.example", True),
            ([re.compile(r"https://[a-z]+\.example")], "https://b.example.evil", False),
            ([re.compile(r".*")], None, False),
        ],
    )
    def test_origins(
        self,
        origins: list[Origin | re.Pattern[str] | None] | None,
        origin: str | None,
        accepted: bool,
    ) -> None:
        server = ServerProtocol(origins=origins)
        response = server.accept(make_request(Origin=origin))
        assert (response.status_code == 101) is accepted
        if accepted:
            assert server.origin == origin
        else:
            assert response.status_code == 403
            assert isinstance(server.handshake_exc, InvalidOrigin)

    def test_multiple_origins(self) -> None:
        request = make_request(Origin="https://a.example")
        request.headers["Origin"] = "https://b.example"
        server = ServerProtocol(origins=[Origin("https://a.example")])
        assert server.accept(request).status_code == 400


class TestExtensions:
    def test_no_extensions_configured(self) -> None:
        server = ServerProtocol()
        response = server.accept(make_request(Sec_WebSocket_Extensions="permessage-deflate"))
        assert "Sec-WebSocket-Extensions" not in response.headers
        assert server.extensions == []

    def test_default_permessage_deflate(self) -> None:
        server = ServerProtocol(extensions=enable_server_permessage_deflate(None))
        response = server.accept(
            make_request(Sec_WebSocket_Extensions="permessage-deflate; client_max_window_bits")
        )
        assert response.headers["Sec-WebSocket-Extensions"] == (
            "permessage-deflate; server_max_window_bits=12; client_max_window_bits=12"
        )
        [extension] = server.extensions
        assert isinstance(extension, PerMessageDeflate)

    def test_first_acceptable_offer_wins(self) -> None:
        server = ServerProtocol(extensions=[ServerPerMessageDeflateFactory()])
        offers = (
            "permessage-deflate; server_max_window_bits=8, "
            "permessage-deflate; server_max_window_bits=10, "
            "permessage-deflate"
        )
        response = server.accept(make_request(Sec_WebSocket_Extensions=offers))
        assert response.headers["Sec-WebSocket-Extensions"] == (
            "permessage-deflate; server_max_window_bits=10"
        )
        assert len(server.extensions) == 1

    def test_unknown_extensions_are_ignored(self) -> None:
        server = ServerProtocol(extensions=[ServerPerMessageDeflateFactory()])
        response = server.accept(make_request(Sec_WebSocket_Extensions="x-custom, x-other; a=1"))
        assert response.status_code == 101
        assert server.extensions == []

    def test_malformed_header(self) -> None:
        server = ServerProtocol(extensions=[ServerPerMessageDeflateFactory()])
        assert server.accept(make_request(Sec_WebSocket_Extensions="a b")).status_code == 400


class TestSubprotocols:
    def test_no_subprotocols_configured(self) -> None:
        server = ServerProtocol()
        response = server.accept(make_request(Sec_WebSocket_Protocol="chat"))
        assert response.status_code == 101
        assert server.subprotocol is None
        assert "Sec-WebSocket-Protocol" not in response.headers

    def test_server_preference_wins(self) -> None:
        server = ServerProtocol(subprotocols=[Subprotocol("v2"), Subprotocol("v1")])
        response = server.accept(make_request(Sec_WebSocket_Protocol="v1, v2"))
        assert response.headers["Sec-WebSocket-Protocol"] == "v2"
        assert server.subprotocol == "v2"

    def test_no_common_subprotocol(self) -> None:
        server = ServerProtocol(subprotocols=[Subprotocol("v2")])
        response = server.accept(make_request(Sec_WebSocket_Protocol="v1"))
        assert response.status_code == 400
        assert isinstance(server.handshake_exc, NegotiationError)

    def test_missing_subprotocol(self) -> None:
        server = ServerProtocol(subprotocols=[Subprotocol("v2")])
        response = server.accept(make_request())
        assert response.status_code == 400
        assert "missing subprotocol" in str(server.handshake_exc)

    def test_select_subprotocol_callback(self) -> None:
        calls: list[tuple[ServerProtocol, Sequence[Subprotocol]]] = []

        def select(protocol: ServerProtocol, subprotocols: Sequence[Subprotocol]) -> Subprotocol:
            calls.append((protocol, subprotocols))
            return subprotocols[-1]

        server = ServerProtocol(subprotocols=[Subprotocol("v1")], select_subprotocol=select)
        response = server.accept(make_request(Sec_WebSocket_Protocol="a, b"))
        assert calls == [(server, ["a", "b"])]
        assert response.headers["Sec-WebSocket-Protocol"] == "b"

    def test_select_subprotocol_override(self) -> None:
        class Server(ServerProtocol):
            def select_subprotocol(self, subprotocols: Sequence[Subprotocol]) -> Subprotocol | None:
                return None

        response = Server(subprotocols=[Subprotocol("v1")]).accept(
            make_request(Sec_WebSocket_Protocol="v1")
        )
        assert "Sec-WebSocket-Protocol" not in response.headers


class TestDeprecatedServerConnection:
    def test_warns_on_instantiation(self) -> None:
        from websockets_impl.server import ServerConnection

        with pytest.warns(
            DeprecationWarning, match="ServerConnection was renamed to ServerProtocol"
        ):
            server = ServerConnection()
        assert isinstance(server, ServerProtocol)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=200), prefix=st.sampled_from([b"", b"GET / HTTP/1.1\r\n"]))
def test_random_handshake_input(data: bytes, prefix: bytes) -> None:
    server = ServerProtocol()
    server.receive_data(prefix + data)
    server.receive_eof()
    events = server.events_received()
    if server.handshake_exc is not None:
        assert isinstance(server.handshake_exc, InvalidMessage)
        assert events == []
    else:
        request = events[0]
        assert isinstance(request, Request)
        assert server.accept(request).status_code in (101, 400, 405, 426, 505)


class TestResponseLogs:
    def info_messages(self, caplog: pytest.LogCaptureFixture) -> list[str]:
        return [
            record.getMessage()
            for record in caplog.records
            if record.name == "websockets.server" and record.levelno == logging.INFO
        ]

    def test_accepted_handshake_logs_connection_open(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        server = ServerProtocol()
        with caplog.at_level(logging.INFO, logger="websockets.server"):
            server.send_response(server.accept(make_request()))
        assert self.info_messages(caplog) == ["connection open"]

    def test_rejected_handshake_logs_connection_rejected(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        server = ServerProtocol()
        with caplog.at_level(logging.INFO, logger="websockets.server"):
            server.send_response(server.accept(make_request(Sec_WebSocket_Key=None)))
        assert self.info_messages(caplog) == ["connection rejected (400 Bad Request)"]
        assert server.data_to_send()[-1] == SEND_EOF

    def test_response_without_accept_logs_http_response_sent(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        server = ServerProtocol()
        with caplog.at_level(logging.INFO, logger="websockets.server"):
            server.send_response(server.reject(404, "Not here.\n"))
        assert self.info_messages(caplog) == ["HTTP response sent (404 Not Found)"]
        # A non-101 response half-closes and ignores what follows.
        assert server.data_to_send()[-1] == SEND_EOF
        server.receive_data(b"GET / HTTP/1.1\r\n\r\n")
        assert server.events_received() == []

    def test_construction_logs_connecting(self, caplog: pytest.LogCaptureFixture) -> None:
        with caplog.at_level(logging.DEBUG, logger="test.server"):
            debug_server()
        assert [record.getMessage() for record in caplog.records] == ["= connection is CONNECTING"]
