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
"""Longest request line, status line or header line, CRLF excluded."""

MAX_NUM_HEADERS = int(os.environ.get("WEBSOCKETS_MAX_NUM_HEADERS", "128"))
"""Most headers in a request or a response."""

MAX_BODY_SIZE = int(os.environ.get("WEBSOCKETS_MAX_BODY_SIZE", str(2**20)))
"""Largest response body read, e.g. of an error page."""

# RFC 9110 and 9112 grammar.
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VERSION = re.compile(rb"HTTP/[0-9]\.[0-9]")
_TARGET = re.compile(rb"[\x21-\x7e]+")
_STATUS = re.compile(rb"[1-5][0-9][0-9]")
_FIELD_VALUE = re.compile(rb"[\x09\x20-\x7e\x80-\xff]*")
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")

ReadLine = Callable[[int], Generator[None, None, bytes]]
ReadExact = Callable[[int], Generator[None, None, bytes]]
ReadToEOF = Callable[[int], Generator[None, None, bytes]]


@dataclasses.dataclass
class Request:
    """An HTTP request; the opening handshake is a GET request.

    Other methods and protocol versions are parsed so that the server can answer them
    with a proper error.
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
            EOFError: The stream ends before the end of the headers.
            SecurityError: A line is too long or there are too many headers.
            ValueError: The request is malformed.
        """
        try:
            line = yield from parse_line(read_line, RequestLineTooLong)
        except EOFError as exc:
            raise EOFError("connection closed while reading HTTP request line") from exc
        parts = line.split(b" ")
        if len(parts) != 3:
            raise ValueError(f"invalid HTTP request line: {_d(line)}")
        method, target, protocol = parts
        if not _TOKEN.fullmatch(method):
            raise ValueError(f"invalid HTTP method: {_d(method)}")
        if not _TARGET.fullmatch(target):
            raise ValueError(f"invalid HTTP request target: {_d(target)}")
        if not _VERSION.fullmatch(protocol):
            raise ValueError(f"unsupported protocol: {_d(protocol)}")
        headers = yield from parse_headers(read_line)
        return cls(target.decode("ascii"), headers, method.decode(), protocol.decode())

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
            EOFError: The stream ends before the end of the response.
            SecurityError: A limit is exceeded.
            ValueError: The response is malformed.
        """
        try:
            line = yield from parse_line(read_line, StatusLineTooLong)
        except EOFError as exc:
            raise EOFError("connection closed while reading HTTP status line") from exc
        parts = line.split(b" ", 2)
        if len(parts) == 2:
            # Tolerate a missing reason phrase without its separator.
            parts.append(b"")
        if len(parts) != 3:
            raise ValueError(f"invalid HTTP status line: {_d(line)}")
        protocol, raw_status, raw_reason = parts
        if protocol != b"HTTP/1.1" and not (proxy and protocol == b"HTTP/1.0"):
            raise ValueError(f"unsupported protocol: {_d(protocol)}")
        if not _STATUS.fullmatch(raw_status):
            raise ValueError(f"invalid status code: {_d(raw_status)}")
        if not _FIELD_VALUE.fullmatch(raw_reason):
            raise ValueError(f"invalid reason phrase: {_d(raw_reason)}")
        status_code = int(raw_status)
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
        try:
            line = yield from parse_line(read_line, HeaderLineTooLong)
        except EOFError as exc:
            raise EOFError("connection closed while reading HTTP headers") from exc
        if line == b"":
            return headers
        raw_name, colon, raw_value = line.partition(b":")
        if not colon or not _TOKEN.fullmatch(raw_name):
            raise ValueError(f"invalid HTTP header line: {_d(line)}")
        raw_value = raw_value.strip(b" \t")
        if not _FIELD_VALUE.fullmatch(raw_value):
            raise ValueError(f"invalid HTTP header value: {_d(raw_value)}")
        # Values are ISO-8859-1 in both directions; Headers validated the grammar above.
        headers.set_insecure(raw_name.decode("ascii"), raw_value.decode("iso-8859-1"))
    raise TooManyHeaders(f"more than {MAX_NUM_HEADERS} HTTP headers")


def parse_line(read_line: ReadLine, too_long: type[SecurityError]) -> Generator[None, None, bytes]:
    """Read a CRLF-terminated line and return it without CRLF.

    Raises:
        EOFError: The stream ends before the end of the line.
        SecurityError: ``too_long``, when the line exceeds ``MAX_LINE_LENGTH``.
        ValueError: The line doesn't end with CRLF.
    """
    try:
        # The limit counts the line without its CRLF.
        line = yield from read_line(MAX_LINE_LENGTH + 2)
    except RuntimeError as exc:
        raise too_long(f"line longer than {MAX_LINE_LENGTH} bytes") from exc
    if not line.endswith(b"\r\n"):
        raise ValueError("line without CRLF")
    return line[:-2]


def read_body(
    headers: Headers, read_line: ReadLine, read_exact: ReadExact, read_to_eof: ReadToEOF
) -> Generator[None, None, bytes]:
    """Read a response body delimited by chunked coding, Content-Length or end of stream.

    Raises:
        EOFError: The stream ends before the end of the body.
        SecurityError: The body exceeds ``MAX_BODY_SIZE``.
        ValueError: The framing headers are invalid or unsupported.
    """
    codings = headers.get_all("Transfer-Encoding")
    if codings:
        # Only "chunked" alone is understood; compressed codings aren't worth it for
        # error pages.
        if [coding.strip().lower() for coding in codings] != ["chunked"]:
            raise ValueError(f"unsupported transfer coding: {', '.join(codings)}")
        return (yield from read_chunked(read_line, read_exact))
    lengths = headers.get_all("Content-Length")
    if not lengths:
        try:
            return (yield from read_to_eof(MAX_BODY_SIZE))
        except RuntimeError as exc:
            raise SecurityError(f"body larger than {MAX_BODY_SIZE} bytes") from exc
    if len(set(lengths)) != 1 or not lengths[0].isascii() or not lengths[0].isdigit():
        raise ValueError(f"invalid Content-Length: {', '.join(lengths)}")
    content_length = int(lengths[0])
    if content_length > MAX_BODY_SIZE:
        raise SecurityError(f"body of {content_length} bytes is larger than {MAX_BODY_SIZE}")
    try:
        return (yield from read_exact(content_length))
    except EOFError as exc:
        raise EOFError("connection closed while reading HTTP body") from exc


def read_chunked(read_line: ReadLine, read_exact: ReadExact) -> Generator[None, None, bytes]:
    """Read a body in chunked transfer coding (RFC 9112 section 7.1); drop trailers."""
    body = bytearray()
    try:
        while True:
            line = yield from parse_line(read_line, SecurityError)
            size_text = line.partition(b";")[0].strip(b" \t")
            if not _CHUNK_SIZE.fullmatch(size_text):
                raise ValueError(f"invalid chunk size: {_d(size_text)}")
            size = int(size_text, 16)
            if size == 0:
                break
            if len(body) + size > MAX_BODY_SIZE:
                raise SecurityError(f"body larger than {MAX_BODY_SIZE} bytes")
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
