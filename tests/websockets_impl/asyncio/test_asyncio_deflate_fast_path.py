"""permessage-deflate frames on the asyncio fast path: errors end as with the Sans-I/O parser."""

from __future__ import annotations

import logging
import zlib

import pytest
from asyncio_helpers import RawClient, encode_frame, get_port, run_server

from websockets_impl.frames import Close, Frame, Opcode

EXTENSION = "Sec-WebSocket-Extensions: permessage-deflate\r\n"


async def deflate_client(port: int) -> RawClient:
    client = await RawClient.connect(port, handshake=False)
    request = (
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        f"{EXTENSION}\r\n"
    )
    client.writer.write(request.encode())
    response = await client.reader.readuntil(b"\r\n\r\n")
    assert b"permessage-deflate" in response
    return client


def deflated(data: bytes) -> bytes:
    encoder = zlib.compressobj(wbits=-15)
    return (encoder.compress(data) + encoder.flush(zlib.Z_SYNC_FLUSH))[:-4]


async def close_of(frame_bytes: bytes, debug: bool) -> tuple[int, str]:
    logger = logging.getLogger("test.deflate.fast_path")
    logger.setLevel(logging.DEBUG if debug else logging.INFO)
    async with run_server(max_size=1000, logger=logger) as server:
        client = await deflate_client(get_port(server))
        client.writer.write(frame_bytes)
        close = Close.parse((await client.read_until_close()).data)
        client.close()
        return close.code, close.reason


@pytest.mark.parametrize(
    ("opcode", "payload", "code"),
    [
        (Opcode.BINARY, b"\xff\xff\xff\xff", 1002),
        (Opcode.BINARY, deflated(b"x" * 5000), 1009),
        (Opcode.TEXT, deflated(b"\xff\xfe"), 1007),
    ],
    ids=["not-deflate", "inflates-too-big", "invalid-utf8"],
)
async def test_compressed_frame_errors_match_the_sans_io_parser(
    opcode: Opcode, payload: bytes, code: int
) -> None:
    frame = encode_frame(Frame(opcode, payload, rsv1=True), mask=True)
    # Debug logging keeps every frame on the Sans-I/O path.
    fast = await close_of(frame, debug=False)
    assert fast == await close_of(frame, debug=True)
    assert fast[0] == code


async def test_compressed_messages_in_one_read_then_a_large_one() -> None:
    async with run_server(max_size=2**22) as server:
        client = await deflate_client(get_port(server))
        encoder = zlib.compressobj(wbits=-15)
        decoder = zlib.decompressobj(wbits=-15)
        large = bytes(range(256)) * 2048  # hardly compressible: spans many reads
        messages = [b"first", b"second" * 10, large]
        wire = b""
        for message in messages:
            data = (encoder.compress(message) + encoder.flush(zlib.Z_SYNC_FLUSH))[:-4]
            wire += encode_frame(Frame(Opcode.BINARY, data, rsv1=True), mask=True)
        client.writer.write(wire)
        for message in messages:
            frame = await client.read_frame()
            assert decoder.decompress(frame.data + b"\x00\x00\xff\xff") == message
        client.close()
