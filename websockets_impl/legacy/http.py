"""Reading HTTP/1.1 requests and responses from an :class:`asyncio.StreamReader`.

Only what the opening handshake needs: a GET request, or a response's status
line and headers. The body of a response is never read.
"""

from __future__ import annotations

import asyncio
import re

from ..datastructures import Headers
from ..exceptions import SecurityError
from ..http11 import MAX_LINE_LENGTH, MAX_NUM_HEADERS

__all__ = ["MAX_LINE_LENGTH", "MAX_NUM_HEADERS", "read_headers", "read_request", "read_response"]

# RFC 9110 token and field-value grammars, on bytes.
_TOKEN_RE = re.compile(rb"[-!#$%&\'*+.^_`|~0-9a-zA-Z]+")
_VALUE_RE = re.compile(rb"[\x09\x20-\x7e\x80-\xff]*")


def _text(value: bytes) -> str:
    # Latin-1 maps every byte, so error messages can always quote the input.
    return value.decode("latin-1")


async def read_request(stream: asyncio.StreamReader) -> tuple[str, Headers]:
    """Read a GET request; return its path and headers.

    Raises EOFError if the connection closes first, SecurityError when a limit
    is exceeded, ValueError when the request is malformed.
    """
    try:
        request_line = await read_line(stream)
    except EOFError as exc:
        raise EOFError("connection closed while reading HTTP request line") from exc
    try:
        method, raw_path, protocol = request_line.split(b" ", 2)
    except ValueError:
        raise ValueError(f"invalid HTTP request line: {_text(request_line)}") from None
    if method != b"GET":
        raise ValueError(f"unsupported HTTP method: {_text(method)}")
    if protocol != b"HTTP/1.1":
        raise ValueError(f"unsupported HTTP version: {_text(protocol)}")
    # The request target is ASCII on the wire (RFC 3986).
    path = raw_path.decode("ascii", "surrogateescape")
    headers = await read_headers(stream)
    return path, headers


async def read_response(stream: asyncio.StreamReader) -> tuple[int, str, Headers]:
    """Read a response's status line and headers; return status, reason and headers."""
    try:
        status_line = await read_line(stream)
    except EOFError as exc:
        raise EOFError("connection closed while reading HTTP status line") from exc
    try:
        protocol, raw_status_code, raw_reason = status_line.split(b" ", 2)
    except ValueError:
        raise ValueError(f"invalid HTTP status line: {_text(status_line)}") from None
    if protocol != b"HTTP/1.1":
        raise ValueError(f"unsupported HTTP version: {_text(protocol)}")
    try:
        status_code = int(raw_status_code)
    except ValueError:
        raise ValueError(f"invalid HTTP status code: {_text(raw_status_code)}") from None
    if not 100 <= status_code < 1000:
        # The raw text, e.g. "007", says more than the number.
        raise ValueError(f"unsupported HTTP status code: {_text(raw_status_code)}")
    if not _VALUE_RE.fullmatch(raw_reason):
        raise ValueError(f"invalid HTTP reason phrase: {_text(raw_reason)}")
    headers = await read_headers(stream)
    return status_code, _text(raw_reason), headers


async def read_headers(stream: asyncio.StreamReader) -> Headers:
    """Read header lines up to the empty line that ends them."""
    headers = Headers()
    for _ in range(MAX_NUM_HEADERS + 1):
        try:
            line = await read_line(stream)
        except EOFError as exc:
            raise EOFError("connection closed while reading HTTP headers") from exc
        if line == b"":
            return headers
        try:
            raw_name, raw_value = line.split(b":", 1)
        except ValueError:
            raise ValueError(f"invalid HTTP header line: {_text(line)}") from None
        if not _TOKEN_RE.fullmatch(raw_name):
            raise ValueError(f"invalid HTTP header name: {_text(raw_name)}")
        raw_value = raw_value.strip(b" \t")
        if not _VALUE_RE.fullmatch(raw_value):
            raise ValueError(f"invalid HTTP header value: {_text(raw_value)}")
        headers[_text(raw_name)] = _text(raw_value)
    raise SecurityError("too many HTTP headers")


async def read_line(stream: asyncio.StreamReader) -> bytes:
    """Read one CRLF-terminated line and return it without the CRLF."""
    # readline() stops at the reader's own limit; a limit error means a long line.
    try:
        line = await stream.readline()
    except ValueError:
        raise SecurityError("line too long") from None
    if len(line) > MAX_LINE_LENGTH:
        raise SecurityError("line too long")
    if not line.endswith(b"\r\n"):
        raise EOFError("line without CRLF")
    return line[:-2]
