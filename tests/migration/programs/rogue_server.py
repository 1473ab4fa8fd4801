"""A client that tells protocol violations apart from other disconnections.

A hand-written server completes the opening handshake, sends one valid text frame,
then a frame with a reserved bit set. The client checks whether the connection ended
because of a ``WebSocketProtocolError`` (the old name of ``ProtocolError``).
"""
# migration: auto
# rules: WSU101, WSU105
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: websockets_impl.exceptions.WebSocketProtocolError is deprecated
# expect-warning: websockets_impl.WebSocketProtocolError is deprecated

import asyncio
import base64
import hashlib

import websockets
from websockets.exceptions import ConnectionClosedError, WebSocketProtocolError
from websockets.legacy.client import connect

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


async def rogue(reader, writer):
    request = (await reader.readuntil(b"\r\n\r\n")).decode()
    headers = dict(line.split(": ", 1) for line in request.split("\r\n")[1:] if line)
    digest = hashlib.sha1((headers["Sec-WebSocket-Key"] + GUID).encode()).digest()
    writer.write(
        b"HTTP/1.1 101 Switching Protocols\r\n"
        b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: " + base64.b64encode(digest) + b"\r\n\r\n"
    )
    writer.write(b"\x81\x05hello")  # FIN, text, "hello"
    writer.write(b"\xc1\x05hello")  # FIN and RSV1 without an extension: invalid
    await writer.drain()
    await reader.read(1024)  # the client's close frame
    writer.close()
    await writer.wait_closed()


def classify(exc):
    if isinstance(exc.__cause__, WebSocketProtocolError):
        return "protocol violation"
    return "disconnection"


def cause(exc):
    if isinstance(exc.__cause__, websockets.WebSocketProtocolError):
        return f"{type(exc.__cause__).__name__}: {exc.__cause__}"
    return "none"


async def main():
    server = await asyncio.start_server(rogue, "127.0.0.1", 0)
    async with server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        async with connect(uri, compression=None) as websocket:
            print("first message:", await websocket.recv())
            try:
                await websocket.recv()
            except ConnectionClosedError as exc:
                print("second message:", classify(exc))
                print("cause:", cause(exc))
                print("close frame sent:", exc.sent.code, "received:", exc.rcvd)


asyncio.run(main())
