from __future__ import annotations

import asyncio
import warnings

import pytest

from websockets_impl.exceptions import SecurityError

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from websockets_impl.legacy.http import (
        MAX_LINE_LENGTH,
        MAX_NUM_HEADERS,
        read_headers,
        read_request,
        read_response,
    )


def stream(data: bytes) -> asyncio.StreamReader:
    reader = asyncio.StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    return reader


async def test_read_request() -> None:
    path, headers = await read_request(
        stream(b"GET /chat?x=1 HTTP/1.1\r\nHost: example.com\r\nX-A: 1\r\nx-a: 2\r\n\r\n")
    )
    assert path == "/chat?x=1"
    assert headers["host"] == "example.com"
    assert headers.get_all("X-A") == ["1", "2"]


async def test_read_request_leaves_following_bytes() -> None:
    reader = stream(b"GET / HTTP/1.1\r\n\r\n\x81\x00")
    await read_request(reader)
    assert await reader.read() == b"\x81\x00"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"POST / HTTP/1.1\r\n\r\n", "unsupported HTTP method: POST"),
        (b"GET / HTTP/1.0\r\n\r\n", "unsupported HTTP version: HTTP/1.0"),
        (b"GET /\r\n\r\n", "invalid HTTP request line"),
        (b"GET / HTTP/1.1\r\nNo colon\r\n\r\n", "invalid HTTP header line"),
        (b"GET / HTTP/1.1\r\nBad name: x\r\n\r\n", "invalid HTTP header name"),
        (b"GET / HTTP/1.1\r\nName: a\x00b\r\n\r\n", "invalid HTTP header value"),
    ],
)
async def test_read_request_rejects_malformed(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        await read_request(stream(data))


@pytest.mark.parametrize("data", [b"", b"GET / HTTP/1.1\r\nHost: x\r\n", b"GET / HTTP/1.1"])
async def test_read_request_eof(data: bytes) -> None:
    with pytest.raises(EOFError):
        await read_request(stream(data))


async def test_read_response() -> None:
    status, reason, headers = await read_response(
        stream(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\nbody")
    )
    assert (status, reason) == (101, "Switching Protocols")
    assert headers["Upgrade"] == "websocket"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"HTTP/1.0 200 OK\r\n\r\n", "unsupported HTTP version: HTTP/1.0"),
        (b"HTTP/1.1 abc OK\r\n\r\n", "invalid HTTP status code: abc"),
        (b"HTTP/1.1 99 Too low\r\n\r\n", "unsupported HTTP status code: 99"),
        (b"HTTP/1.1 007 Bond\r\n\r\n", "unsupported HTTP status code: 007"),
        (b"HTTP/1.1 200 \x7f\r\n\r\n", "invalid HTTP reason phrase"),
        (b"HTTP/1.1\r\n\r\n", "invalid HTTP status line"),
    ],
)
async def test_read_response_rejects_malformed(data: bytes, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        await read_response(stream(data))
    assert str(raised.value).startswith(message)


async def test_line_length_limit() -> None:
    line = b"X-Long: " + b"a" * MAX_LINE_LENGTH + b"\r\n"
    with pytest.raises(SecurityError, match="line too long"):
        await read_headers(stream(line + b"\r\n"))


async def test_header_count_limit() -> None:
    lines = b"".join(b"X-%d: v\r\n" % i for i in range(MAX_NUM_HEADERS + 1))
    with pytest.raises(SecurityError, match="too many HTTP headers"):
        await read_headers(stream(lines + b"\r\n"))


async def test_header_count_at_limit_is_accepted() -> None:
    lines = b"".join(b"X-%d: v\r\n" % i for i in range(MAX_NUM_HEADERS))
    headers = await read_headers(stream(lines + b"\r\n"))
    assert len(headers) == MAX_NUM_HEADERS


async def test_header_values_are_latin_1_and_stripped() -> None:
    headers = await read_headers(stream(b"X-Name:  caf\xe9 \t\r\n\r\n"))
    assert headers["X-Name"] == "café"
