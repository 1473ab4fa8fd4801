"""Parsing and serializing the HTTP/1.1 messages of the opening handshake.

Parsers are generators driven by a :class:`~.streams.StreamReader`; they accept only
what a WebSocket handshake needs and fail early on anything larger than the limits
below, which the environment may override.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import warnings
from collections.abc import Callable, Generator

from .datastructures import Headers
from .exceptions import (
    HeaderLineTooLong,
    RequestLineTooLong,
    SecurityError,
    StatusLineTooLong,
    TooManyHeaders,
)
from .version import version as websockets_version

__all__ = ["SERVER", "USER_AGENT", "Request", "Response"]

PYTHON_VERSION = "{}.{}".format(*sys.version_info)

USER_AGENT = os.environ.get(
    "WEBSOCKETS_USER_AGENT", f"Python/{PYTHON_VERSION} websockets/{websockets_version}"
)
"""Default value of the User-Agent header sent by clients."""

SERVER = os.environ.get(
    "WEBSOCKETS_SERVER", f"Python/{PYTHON_VERSION} websockets/{websockets_version}"
)
"""Default value of the Server header sent by servers."""

MAX_LINE_LENGTH = int(os.environ.get("WEBSOCKETS_MAX_LINE_LENGTH", "8192"))
"""Longest request line, status line or header line, CRLF included."""

MAX_NUM_HEADERS = int(os.environ.get("WEBSOCKETS_MAX_NUM_HEADERS", "128"))
"""Most headers in a request or a response."""

MAX_BODY_SIZE = int(os.environ.get("WEBSOCKETS_MAX_BODY_SIZE", str(2**20)))
"""Largest response body read, e.g. of an error page."""

# RFC 9110 and 9112 grammar.
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_TARGET = re.compile(rb"[\x21-\x7e]+")
_DIGITS = re.compile(rb"[0-9]+")
_FIELD_VALUE = re.compile(rb"[\x09\x20-\x7e\x80-\xff]*")
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")

# StreamReader's methods: read_line and read_to_eof take the limit and the exception
# to raise beyond it.
ReadLine = Callable[[int, type[Exception]], Generator[None, None, bytes]]
ReadExact = Callable[[int], Generator[None, None, bytes]]
ReadToEOF = Callable[[int, type[Exception]], Generator[None, None, bytes]]


@dataclasses.dataclass
class Request:
    """An HTTP request; the opening handshake is a GET request.

    Other methods and HTTP/1.0 are parsed so that the server can answer them with a
    proper error.
    """

    path: str
    headers: Headers
    method: str = "GET"
    protocol: str = "HTTP/1.1"
    # Set when the handshake fails; kept for the deprecated ``exception`` property.
    _exception: Exception | None = dataclasses.field(default=None, repr=False, compare=False)

    @property
    def exception(self) -> Exception | None:
        """Deprecated: use ``ServerProtocol.handshake_exc``."""
        warnings.warn(
            "Request.exception is deprecated; use ServerProtocol.handshake_exc instead",
            DeprecationWarning,
            stacklevel=2,
        )
        return self._exception

    @classmethod
    def parse(cls, read_line: ReadLine) -> Generator[None, None, Request]:
        """Read a request line and headers with ``read_line``.

        The body isn't read: a handshake request has none.

        Raises:
            EOFError: The stream ends before the end of the headers, or a line doesn't
                end with CRLF.
            SecurityError: A line is too long or there are too many headers.
            ValueError: The request is malformed or has a body.
            UnicodeDecodeError: The method or the path isn't ASCII.
            NotImplementedError: The request has a Transfer-Encoding.
        """
        line = yield from parse_line(read_line, RequestLineTooLong, "HTTP request line")
        parts = line.split(b" ", 2)
        if len(parts) != 3:
            raise ValueError(f"invalid HTTP request line: {_d(line)}")
        raw_method, raw_target, protocol = parts
        if protocol != b"HTTP/1.1" and protocol != b"HTTP/1.0":
            raise ValueError(f"unsupported protocol; expected HTTP/1.1 or HTTP/1.0: {_d(line)}")
        method = raw_method.decode("ascii")
        path = raw_target.decode("ascii")
        if not _TOKEN.fullmatch(raw_method):
            raise ValueError(f"invalid HTTP method: {method}")
        if not _TARGET.fullmatch(raw_target):
            raise ValueError(f"invalid HTTP request target: {path}")
        headers = yield from parse_headers(read_line)
        # What follows the headers of a handshake request are WebSocket frames: a body
        # would be read as frames.
        if "Transfer-Encoding" in headers:
            raise NotImplementedError("transfer codings aren't supported")
        if any(value != "0" for value in headers.get_all("Content-Length")):
            raise ValueError("unsupported request body")
        return cls(path, headers, method, protocol.decode())

    def serialize(self) -> bytes:
        request_line = f"{self.method} {self.path} {self.protocol}\r\n"
        return request_line.encode() + self.headers.serialize()


@dataclasses.dataclass
class Response:
    """An HTTP response: 101 when the server accepts the handshake."""

    status_code: int
    reason_phrase: str
    headers: Headers
    body: bytes = b""
    # Set when the handshake fails; kept for the deprecated ``exception`` property.
    _exception: Exception | None = dataclasses.field(default=None, repr=False, compare=False)

    @property
    def exception(self) -> Exception | None:
        """Deprecated: use ``ClientProtocol.handshake_exc``."""
        warnings.warn(
            "Response.exception is deprecated; use ClientProtocol.handshake_exc instead",
            DeprecationWarning,
            stacklevel=2,
        )
        return self._exception

    @classmethod
    def parse(
        cls,
        read_line: ReadLine,
        read_exact: ReadExact,
        read_to_eof: ReadToEOF,
        proxy: bool = False,
    ) -> Generator[None, None, Response]:
        """Read a status line, headers and the body if there is one.

        With ``proxy``, parse the answer of an HTTP proxy to CONNECT: HTTP/1.0 is
        accepted and a successful response has no body, the tunnel starts after it.

        Raises:
            EOFError: The stream ends before the end of the response, or a line
                doesn't end with CRLF.
            SecurityError: A limit is exceeded.
            ValueError: The response is malformed.
            NotImplementedError: The body has a transfer coding other than chunked.
        """
        line = yield from parse_line(read_line, StatusLineTooLong, "HTTP status line")
        # RFC 9112 4: the space before the reason phrase is there even when it's empty.
        parts = line.split(b" ", 2)
        if len(parts) != 3:
            raise ValueError(f"invalid HTTP status line: {_d(line)}")
        protocol, raw_status, raw_reason = parts
        if proxy:
            if protocol != b"HTTP/1.1" and protocol != b"HTTP/1.0":
                raise ValueError(f"unsupported protocol; expected HTTP/1.1 or HTTP/1.0: {_d(line)}")
        elif protocol != b"HTTP/1.1":
            raise ValueError(f"unsupported protocol; expected HTTP/1.1: {_d(line)}")
        if not _DIGITS.fullmatch(raw_status):
            raise ValueError(f"invalid status code; expected integer; got {_d(raw_status)}")
        status_code = int(raw_status)
        if not 100 <= status_code < 600:
            raise ValueError(f"invalid status code; expected 100\u2013599; got {_d(raw_status)}")
        if not _FIELD_VALUE.fullmatch(raw_reason):
            raise ValueError(f"invalid HTTP reason phrase: {_d(raw_reason)}")
        headers = yield from parse_headers(read_line)

        if (
            100 <= status_code < 200
            or status_code in (204, 304)
            or (proxy and 200 <= status_code < 300)
        ):
            body = b""
        else:
            body = yield from read_body(headers, read_line, read_exact, read_to_eof)
        return cls(status_code, raw_reason.decode("iso-8859-1"), headers, body)

    def serialize(self) -> bytes:
        status_line = f"HTTP/1.1 {self.status_code} {self.reason_phrase}\r\n"
        return status_line.encode("iso-8859-1") + self.headers.serialize() + self.body


def parse_headers(read_line: ReadLine) -> Generator[None, None, Headers]:
    """Read header lines up to the empty line that ends them.

    Raises:
        EOFError: The stream ends before the empty line.
        SecurityError: A line is too long or there are too many headers.
        ValueError: A header line is malformed.
    """
    headers = Headers()
    for _ in range(MAX_NUM_HEADERS + 1):
        line = yield from parse_line(read_line, HeaderLineTooLong, "HTTP headers")
        if line == b"":
            return headers
        raw_name, colon, raw_value = line.partition(b":")
        if not colon:
            raise ValueError(f"invalid HTTP header line: {_d(line)}")
        if not _TOKEN.fullmatch(raw_name):
            raise ValueError(f"invalid HTTP header name: {_d(raw_name)}")
        raw_value = raw_value.strip(b" \t")
        if not _FIELD_VALUE.fullmatch(raw_value):
            raise ValueError(f"invalid HTTP header value: {_d(raw_value)}")
        # Values are ISO-8859-1 in both directions; Headers validated the grammar above.
        headers.set_insecure(raw_name.decode("ascii"), raw_value.decode("iso-8859-1"))
    raise TooManyHeaders(f"expected no more than {MAX_NUM_HEADERS} headers")


def parse_line(
    read_line: ReadLine, too_long: type[SecurityError], what: str
) -> Generator[None, None, bytes]:
    """Read a CRLF-terminated line of ``what`` and return it without CRLF.

    Raises:
        EOFError: The stream ends before the end of the line, or the line doesn't end
            with CRLF; the cause tells which.
        SecurityError: ``too_long``, when the line exceeds ``MAX_LINE_LENGTH``.
    """
    try:
        line = yield from read_line(MAX_LINE_LENGTH, too_long)
        if not line.endswith(b"\r\n"):
            raise EOFError("line without CRLF")
    except EOFError as exc:
        raise EOFError(f"connection closed while reading {what}") from exc
    return line[:-2]


def read_body(
    headers: Headers, read_line: ReadLine, read_exact: ReadExact, read_to_eof: ReadToEOF
) -> Generator[None, None, bytes]:
    """Read a response body delimited by chunked coding, Content-Length or end of stream.

    Raises:
        EOFError: The stream ends before the end of the body.
        SecurityError: The body exceeds ``MAX_BODY_SIZE``.
        ValueError: The framing headers are invalid.
        NotImplementedError: The transfer coding isn't chunked.
    """
    codings = headers.get_all("Transfer-Encoding")
    if codings:
        # Only "chunked" alone is understood; compressed codings aren't worth it for
        # error pages.
        if [coding.strip().lower() for coding in codings] != ["chunked"]:
            raise NotImplementedError(f"transfer coding {', '.join(codings)} isn't supported")
        return (yield from read_chunked(read_line, read_exact))
    lengths = headers.get_all("Content-Length")
    if not lengths:
        return (yield from read_to_eof(MAX_BODY_SIZE, SecurityError))
    if len(set(lengths)) != 1 or not lengths[0].isascii() or not lengths[0].isdigit():
        raise ValueError(f"invalid Content-Length: {', '.join(lengths)}")
    content_length = int(lengths[0])
    if content_length > MAX_BODY_SIZE:
        raise SecurityError(f"body too large: {content_length} bytes")
    try:
        return (yield from read_exact(content_length))
    except EOFError as exc:
        raise EOFError("connection closed while reading HTTP body") from exc


def read_chunked(read_line: ReadLine, read_exact: ReadExact) -> Generator[None, None, bytes]:
    """Read a body in chunked transfer coding (RFC 9112 section 7.1); drop trailers."""
    body = bytearray()
    try:
        while True:
            line = yield from parse_line(read_line, SecurityError, "HTTP body")
            size_text = line.partition(b";")[0].strip(b" \t")
            if not _CHUNK_SIZE.fullmatch(size_text):
                raise ValueError(f"invalid chunk size: {_d(size_text)}")
            size = int(size_text, 16)
            if size == 0:
                break
            if len(body) + size > MAX_BODY_SIZE:
                raise SecurityError(f"chunk too large: {size} bytes after {len(body)} bytes")
            body += yield from read_exact(size)
            if (yield from read_exact(2)) != b"\r\n":
                raise ValueError("chunk without CRLF")
        yield from parse_headers(read_line)
    except EOFError as exc:
        raise EOFError("connection closed while reading HTTP body") from exc
    return bytes(body)


def _d(value: bytes) -> str:
    """Decode bytes for an error message, whatever they contain."""
    return value.decode(errors="backslashreplace")
