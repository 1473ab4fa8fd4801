"""HTTP/1.1 parsing and serialization for the opening handshake."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from core_helpers import reader_with, run
from hypothesis import given, settings
from hypothesis import strategies as st

from websockets_impl.datastructures import Headers
from websockets_impl.exceptions import (
    HeaderLineTooLong,
    RequestLineTooLong,
    SecurityError,
    StatusLineTooLong,
    TooManyHeaders,
)
from websockets_impl.http11 import (
    MAX_BODY_SIZE,
    MAX_LINE_LENGTH,
    MAX_NUM_HEADERS,
    SERVER,
    USER_AGENT,
    Request,
    Response,
)

REQUEST = (
    b"GET /chat?x=1 HTTP/1.1\r\n"
    b"Host: server.example.com\r\n"
    b"Upgrade: websocket\r\n"
    b"Connection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    b"Sec-WebSocket-Version: 13\r\n"
    b"\r\n"
)


def parse_request(data: bytes, *, eof: bool = False) -> Request:
    return run(Request.parse(reader_with(data, eof=eof).read_line))


def parse_response(data: bytes, *, eof: bool = True, proxy: bool = False) -> Response:
    reader = reader_with(data, eof=eof)
    return run(Response.parse(reader.read_line, reader.read_exact, reader.read_to_eof, proxy))


class TestRequest:
    def test_handshake_request_from_rfc(self) -> None:
        request = parse_request(REQUEST)
        assert request.path == "/chat?x=1"
        assert request.method == "GET"
        assert request.protocol == "HTTP/1.1"
        assert request.headers["Sec-WebSocket-Key"] == "dGhlIHNhbXBsZSBub25jZQ=="

    def test_serialize_round_trip(self) -> None:
        assert parse_request(REQUEST).serialize() == REQUEST

    def test_other_methods_and_versions_are_parsed(self) -> None:
        request = parse_request(b"POST / HTTP/1.0\r\n\r\n")
        assert (request.method, request.protocol) == ("POST", "HTTP/1.0")

    def test_defaults(self) -> None:
        request = Request("/", Headers())
        assert (request.method, request.protocol) == ("GET", "HTTP/1.1")

    def test_header_whitespace_and_case(self) -> None:
        request = parse_request(b"GET / HTTP/1.1\r\nX-Name: \t value \t\r\n\r\n")
        assert request.headers["x-name"] == "value"

    def test_non_ascii_header_values_are_latin1(self) -> None:
        request = parse_request(b"GET / HTTP/1.1\r\nX-Name: caf\xe9\r\n\r\n")
        assert request.headers["X-Name"] == "café"

    def test_waits_for_the_end_of_headers(self) -> None:
        reader = reader_with(REQUEST[:-2])
        parser = Request.parse(reader.read_line)
        next(parser)
        reader.feed_data(b"\r\n")
        with pytest.raises(StopIteration):
            next(parser)

    @pytest.mark.parametrize(
        "data",
        [
            b"GET /\r\n\r\n",
            b"GET  / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1 extra\r\n\r\n",
            b"G(T / HTTP/1.1\r\n\r\n",
            b"GET / FTP/1.1\r\n\r\n",
            b"GET /\x7f HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nNo-Colon\r\n\r\n",
            b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
            b"GET / HTTP/1.1\r\nName: a\x00b\r\n\r\n",
        ],
    )
    def test_malformed(self, data: bytes) -> None:
        with pytest.raises(ValueError):
            parse_request(data)

    def test_eof(self) -> None:
        with pytest.raises(EOFError, match="request line"):
            parse_request(b"", eof=True)
        with pytest.raises(EOFError, match="headers"):
            parse_request(REQUEST[:40], eof=True)

    def test_request_line_too_long(self) -> None:
        with pytest.raises(RequestLineTooLong):
            parse_request(b"GET /" + b"x" * MAX_LINE_LENGTH + b" HTTP/1.1\r\n\r\n")

    def test_line_at_the_limit(self) -> None:
        path = b"/" + b"x" * (MAX_LINE_LENGTH - len(b"GET  HTTP/1.1\r\n") - 1)
        line = b"GET " + path + b" HTTP/1.1\r\n"
        assert len(line) == MAX_LINE_LENGTH
        assert parse_request(line + b"\r\n").path == path.decode()
        with pytest.raises(RequestLineTooLong):
            parse_request(line.replace(b"/x", b"/xx") + b"\r\n")

    def test_header_line_too_long(self) -> None:
        with pytest.raises(HeaderLineTooLong):
            parse_request(b"GET / HTTP/1.1\r\nX: " + b"x" * MAX_LINE_LENGTH + b"\r\n\r\n")

    def test_too_many_headers(self) -> None:
        headers = b"X: y\r\n" * (MAX_NUM_HEADERS + 1)
        with pytest.raises(TooManyHeaders):
            parse_request(b"GET / HTTP/1.1\r\n" + headers + b"\r\n")
        assert (
            len(parse_request(b"GET / HTTP/1.1\r\n" + headers[6:] + b"\r\n").headers.get_all("X"))
            == MAX_NUM_HEADERS
        )

    def test_exception_property_is_deprecated(self) -> None:
        request = Request("/", Headers())
        with pytest.warns(DeprecationWarning, match="Request.exception is deprecated"):
            assert request.exception is None


class TestResponse:
    def test_switching_protocols(self) -> None:
        data = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\nframes"
        response = parse_response(data, eof=False)
        assert (response.status_code, response.reason_phrase) == (101, "Switching Protocols")
        assert response.body == b""

    def test_body_with_content_length(self) -> None:
        data = b"HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nerrorNEXT"
        assert parse_response(data, eof=False).body == b"error"

    def test_body_until_eof(self) -> None:
        assert parse_response(b"HTTP/1.1 500 Oops\r\n\r\nbroken").body == b"broken"

    @pytest.mark.parametrize("status", [204, 304])
    def test_no_body(self, status: int) -> None:
        assert parse_response(f"HTTP/1.1 {status} X\r\n\r\n".encode(), eof=False).body == b""

    def test_empty_reason_phrase(self) -> None:
        response = parse_response(b"HTTP/1.1 101 \r\n\r\n", eof=False)
        assert response.reason_phrase == ""

    def test_serialize_round_trip(self) -> None:
        response = Response(403, "Forbidden", Headers([("Content-Length", "2")]), b"no")
        assert parse_response(response.serialize()) == response

    def test_proxy_response(self) -> None:
        response = parse_response(
            b"HTTP/1.0 200 Connection established\r\n\r\n", eof=False, proxy=True
        )
        assert response.status_code == 200
        with pytest.raises(ValueError, match="unsupported protocol"):
            parse_response(b"HTTP/1.0 200 OK\r\n\r\n")

    @pytest.mark.parametrize(
        "data",
        [
            b"HTTP/1.1\r\n\r\n",
            b"HTTP/1.1 1O1 Switching\r\n\r\n",
            b"HTTP/1.1 99 Low\r\n\r\n",
            b"HTTP/1.1 600 High\r\n\r\n",
            b"HTTP/2 101 Switching\r\n\r\n",
            b"HTTP/1.1 101 Bad\x00Reason\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nx\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
        ],
    )
    def test_malformed(self, data: bytes) -> None:
        with pytest.raises(ValueError):
            parse_response(data)

    def test_chunked_body(self) -> None:
        data = (
            b"HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"4\r\nForb\r\nA;ext=1\r\nidden page\r\n0\r\nTrailer: x\r\n\r\nNEXT"
        )
        assert parse_response(data, eof=False).body == b"Forbidden page"

    def test_chunked_body_too_large(self) -> None:
        chunk = f"{MAX_BODY_SIZE:x}\r\n".encode() + b"x" * MAX_BODY_SIZE + b"\r\n"
        data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk * 2
        with pytest.raises(SecurityError):
            parse_response(data)

    def test_truncated_chunked_body(self) -> None:
        data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"
        with pytest.raises(EOFError, match="body"):
            parse_response(data)

    def test_status_line_too_long(self) -> None:
        with pytest.raises(StatusLineTooLong):
            parse_response(b"HTTP/1.1 200 " + b"x" * MAX_LINE_LENGTH + b"\r\n\r\n")

    def test_body_too_large(self) -> None:
        with pytest.raises(SecurityError):
            parse_response(
                f"HTTP/1.1 200 OK\r\nContent-Length: {MAX_BODY_SIZE + 1}\r\n\r\n".encode()
            )
        with pytest.raises(SecurityError):
            parse_response(b"HTTP/1.1 200 OK\r\n\r\n" + b"x" * (MAX_BODY_SIZE + 1))

    def test_truncated_body(self) -> None:
        with pytest.raises(EOFError, match="body"):
            parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")

    def test_exception_property_is_deprecated(self) -> None:
        response = Response(200, "OK", Headers())
        with pytest.warns(DeprecationWarning, match="Response.exception is deprecated"):
            assert response.exception is None


class TestIdentification:
    def test_default_user_agent_and_server(self) -> None:
        expected = f"Python/{sys.version_info[0]}.{sys.version_info[1]} websockets/17.4"
        assert USER_AGENT == SERVER == expected

    def test_environment_overrides(self) -> None:
        code = (
            "from websockets_impl import http11 as h; "
            "print(h.USER_AGENT, h.SERVER, h.MAX_LINE_LENGTH, h.MAX_NUM_HEADERS, "
            "h.MAX_BODY_SIZE, sep='|')"
        )
        env = {
            **os.environ,
            "WEBSOCKETS_USER_AGENT": "agent/1",
            "WEBSOCKETS_SERVER": "server/2",
            "WEBSOCKETS_MAX_LINE_LENGTH": "100",
            "WEBSOCKETS_MAX_NUM_HEADERS": "5",
            "WEBSOCKETS_MAX_BODY_SIZE": "7",
        }
        output = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        assert output == "agent/1|server/2|100|5|7"


# Property tests.

TOKENS = st.text(alphabet="!#$%&'*+-.^_`|~0123456789abcdefXYZ", min_size=1, max_size=12)
VALUES = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
    max_size=30,
).map(str.strip)
HEADER_LISTS = st.lists(st.tuples(TOKENS, VALUES), max_size=10)
PATHS = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=40
)


class TestProperties:
    @settings(max_examples=200, deadline=None)
    @given(path=PATHS, headers=HEADER_LISTS, method=TOKENS)
    def test_request_round_trip(
        self, path: str, headers: list[tuple[str, str]], method: str
    ) -> None:
        request = Request(path, Headers(headers), method)
        assert parse_request(request.serialize()) == request

    @settings(max_examples=200, deadline=None)
    @given(
        status=st.integers(100, 599),
        reason=VALUES,
        headers=HEADER_LISTS,
        body=st.binary(max_size=50),
    )
    def test_response_round_trip(
        self, status: int, reason: str, headers: list[tuple[str, str]], body: bytes
    ) -> None:
        headers = [
            (name, value)
            for name, value in headers
            if name.lower() not in ("content-length", "transfer-encoding")
        ]
        if 100 <= status < 200 or status in (204, 304):
            body = b""
        else:
            headers.append(("Content-Length", str(len(body))))
        response = Response(status, reason, Headers(headers), body)
        assert parse_response(response.serialize() + b"trailing", eof=False) == response


class TestFuzz:
    EXPECTED = (EOFError, SecurityError, ValueError)

    @settings(max_examples=300, deadline=None)
    @given(data=st.binary(max_size=300))
    def test_random_request_bytes(self, data: bytes) -> None:
        try:
            parse_request(data, eof=True)
        except self.EXPECTED:
            pass

    @settings(max_examples=300, deadline=None)
    @given(data=st.binary(max_size=300))
    def test_random_response_bytes(self, data: bytes) -> None:
        try:
            parse_response(data)
        except self.EXPECTED:
            pass

    @settings(max_examples=300, deadline=None)
    @given(
        position=st.integers(0, len(REQUEST) - 1),
        replacement=st.binary(min_size=0, max_size=3),
        cut=st.integers(0, 20),
    )
    def test_mutated_requests(self, position: int, replacement: bytes, cut: int) -> None:
        data = REQUEST[:position] + replacement + REQUEST[position + 1 :]
        try:
            request = parse_request(data[: len(data) - cut], eof=True)
        except self.EXPECTED:
            return
        assert isinstance(request, Request)


def request_error(data: bytes) -> BaseException:
    with pytest.raises(Exception) as raised:
        parse_request(data, eof=True)
    return raised.value


def response_error(data: bytes, *, proxy: bool = False) -> BaseException:
    with pytest.raises(Exception) as raised:
        parse_response(data, proxy=proxy)
    return raised.value


class TestErrorMessages:
    """Parsing errors: their types and texts, as upstream words them."""

    @pytest.mark.parametrize(
        ("data", "exc_type"),
        [
            (b"GET /" + b"x" * MAX_LINE_LENGTH + b" HTTP/1.1\r\n\r\n", RequestLineTooLong),
            (b"GET / HTTP/1.1\r\nX: " + b"x" * MAX_LINE_LENGTH + b"\r\n\r\n", HeaderLineTooLong),
        ],
    )
    def test_request_line_too_long(self, data: bytes, exc_type: type[Exception]) -> None:
        error = request_error(data)
        assert type(error) is exc_type
        assert re.fullmatch(
            rf"read \d+ bytes, expected no more than {MAX_LINE_LENGTH} bytes", str(error)
        )

    def test_status_line_too_long(self) -> None:
        error = response_error(b"HTTP/1.1 200 " + b"x" * MAX_LINE_LENGTH + b"\r\n\r\n")
        assert type(error) is StatusLineTooLong
        assert (
            str(error)
            == f"read {MAX_LINE_LENGTH + 15} bytes, expected no more than {MAX_LINE_LENGTH} bytes"
        )

    @pytest.mark.parametrize("data", [b"GET / HTTP/1.1\n\r\n", b"GET / HTTP/1.1\r\nX: y\n\r\n"])
    def test_line_without_crlf(self, data: bytes) -> None:
        error = request_error(data)
        assert type(error) is EOFError
        assert str(error).startswith("connection closed while reading HTTP ")
        assert type(error.__cause__) is EOFError
        assert str(error.__cause__) == "line without CRLF"

    def test_bad_header_name(self) -> None:
        error = request_error(b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n")
        assert str(error) == "invalid HTTP header name: Bad Name"
        error = request_error(b"GET / HTTP/1.1\r\nNoColon\r\n\r\n")
        assert str(error) == "invalid HTTP header line: NoColon"

    def test_request_line_is_split_in_three_at_most(self) -> None:
        error = request_error(b"this is not HTTP\r\n\r\n")
        assert str(error) == "unsupported protocol; expected HTTP/1.1 or HTTP/1.0: this is not HTTP"

    def test_too_many_headers(self) -> None:
        error = request_error(b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * (MAX_NUM_HEADERS + 1))
        assert type(error) is TooManyHeaders
        assert str(error) == f"expected no more than {MAX_NUM_HEADERS} headers"

    @pytest.mark.parametrize("protocol", [b"HTTP/2.0", b"HTTP/1.2", b"FTP/1.1"])
    def test_request_protocol(self, protocol: bytes) -> None:
        line = b"GET / " + protocol
        error = request_error(line + b"\r\n\r\n")
        assert type(error) is ValueError
        assert str(error) == (
            f"unsupported protocol; expected HTTP/1.1 or HTTP/1.0: {line.decode()}"
        )

    def test_http_1_0_request_is_parsed(self) -> None:
        assert parse_request(b"GET / HTTP/1.0\r\n\r\n").protocol == "HTTP/1.0"

    @pytest.mark.parametrize("line", ["GÉT / HTTP/1.1", "GET /café HTTP/1.1"])
    def test_non_ascii_method_or_path(self, line: str) -> None:
        error = request_error(line.encode() + b"\r\n\r\n")
        assert type(error) is UnicodeDecodeError

    def test_request_with_transfer_encoding(self) -> None:
        error = request_error(b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
        assert type(error) is NotImplementedError
        assert str(error) == "transfer codings aren't supported"

    def test_request_with_body(self) -> None:
        error = request_error(b"GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")
        assert type(error) is ValueError
        assert str(error) == "unsupported request body"
        assert parse_request(b"GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").path == "/"

    @pytest.mark.parametrize("line", [b"220 smtp.invalid", b"HTTP/1.1 101", b"HTTP/1.1"])
    def test_status_line_without_three_parts(self, line: bytes) -> None:
        error = response_error(line + b"\r\n\r\n")
        assert type(error) is ValueError
        assert str(error) == f"invalid HTTP status line: {line.decode()}"

    def test_response_protocol(self) -> None:
        error = response_error(b"HTTP/1.0 200 OK\r\n\r\n")
        assert str(error) == "unsupported protocol; expected HTTP/1.1: HTTP/1.0 200 OK"

    def test_response_protocol_through_a_proxy(self) -> None:
        error = response_error(b"HTTP/2.0 200 OK\r\n\r\n", proxy=True)
        assert str(error) == (
            "unsupported protocol; expected HTTP/1.1 or HTTP/1.0: HTTP/2.0 200 OK"
        )

    @pytest.mark.parametrize("raw", ["1O1", "OK", "+20"])
    def test_status_code_not_an_integer(self, raw: str) -> None:
        error = response_error(f"HTTP/1.1 {raw} Switching\r\n\r\n".encode())
        assert str(error) == f"invalid status code; expected integer; got {raw}"

    @pytest.mark.parametrize("raw", ["99", "600", "007"])
    def test_status_code_out_of_range(self, raw: str) -> None:
        error = response_error(f"HTTP/1.1 {raw} X\r\n\r\n".encode())
        assert str(error) == f"invalid status code; expected 100\u2013599; got {raw}"

    def test_bad_reason_phrase(self) -> None:
        error = response_error(b"HTTP/1.1 101 Bad\x00Reason\r\n\r\n")
        assert str(error) == "invalid HTTP reason phrase: Bad\x00Reason"

    def test_response_transfer_coding(self) -> None:
        error = response_error(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n")
        assert type(error) is NotImplementedError
        assert str(error) == "transfer coding gzip isn't supported"

    def test_chunk_too_large(self) -> None:
        first = b"10\r\n" + b"x" * 16 + b"\r\n"
        size = MAX_BODY_SIZE
        data = (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + first
            + f"{size:x}\r\n".encode()
        )
        error = response_error(data)
        assert type(error) is SecurityError
        assert str(error) == f"chunk too large: {size} bytes after 16 bytes"

    def test_content_length_too_large(self) -> None:
        size = MAX_BODY_SIZE + 1
        error = response_error(f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n".encode())
        assert type(error) is SecurityError
        assert str(error) == f"body too large: {size} bytes"

    def test_body_to_eof_too_large(self) -> None:
        error = response_error(b"HTTP/1.1 200 OK\r\n\r\n" + b"x" * (MAX_BODY_SIZE + 1))
        assert type(error) is SecurityError
        assert str(error) == (
            f"read {MAX_BODY_SIZE + 1} bytes, expected no more than {MAX_BODY_SIZE} bytes"
        )
