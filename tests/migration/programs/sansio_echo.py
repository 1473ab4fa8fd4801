"""A Sans-I/O echo service on asyncio streams, written with the websockets 10 names.

Both ends drive the Sans-I/O protocol objects by hand: ``ServerConnection`` and
``ClientConnection`` (renamed ``ServerProtocol`` / ``ClientProtocol`` in 11.0) and
the ``Connection`` base class from ``websockets.connection`` (now ``websockets.protocol``).
"""
# migration: auto
# rules: WSU102, WSU106
# expect-warning: websockets.connection was renamed to websockets.protocol
# expect-warning: ClientConnection was renamed to ClientProtocol
# expect-warning: ServerConnection was renamed to ServerProtocol

import asyncio

from websockets.client import ClientConnection
from websockets.connection import Connection
from websockets.frames import Opcode
from websockets.http11 import Request, Response
from websockets.protocol import State
from websockets.server import ServerConnection
from websockets.uri import parse_uri


async def flush(protocol, writer):
    for data in protocol.data_to_send():
        if data:
            writer.write(data)
        elif writer.can_write_eof():
            writer.write_eof()
    await writer.drain()


async def receive(protocol, reader):
    data = await reader.read(65536)
    if data:
        protocol.receive_data(data)
    else:
        protocol.receive_eof()
    return protocol.events_received()


async def serve_one(reader, writer):
    protocol = ServerConnection()
    assert isinstance(protocol, Connection)
    while protocol.state is not State.CLOSED:
        for event in await receive(protocol, reader):
            if isinstance(event, Request):
                protocol.send_response(protocol.accept(event))
            elif event.opcode is Opcode.TEXT:
                protocol.send_text(f"echo: {event.data.decode()}".encode())
        await flush(protocol, writer)
        if protocol.close_expected() and protocol.state is State.CLOSED:
            break
    writer.close()
    await writer.wait_closed()


async def client(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    protocol = ClientConnection(parse_uri(f"ws://127.0.0.1:{port}/echo"))
    print("client is a Connection:", isinstance(protocol, Connection))
    protocol.send_request(protocol.connect())
    await flush(protocol, writer)
    while protocol.state is State.CONNECTING:
        for event in await receive(protocol, reader):
            if isinstance(event, Response):
                print("handshake:", event.status_code, event.reason_phrase)
    print("state:", protocol.state.name)
    for text in ["one", "two"]:
        protocol.send_text(text.encode())
        await flush(protocol, writer)
        events = []
        while not events:
            events = await receive(protocol, reader)
        print("received:", events[0].data.decode())
    protocol.send_close(1000, "done")
    await flush(protocol, writer)
    while protocol.state is not State.CLOSED:
        await receive(protocol, reader)
    writer.close()
    await writer.wait_closed()
    print("state:", protocol.state.name, "close code:", protocol.close_code)


async def main():
    server = await asyncio.start_server(serve_one, "127.0.0.1", 0)
    async with server:
        await asyncio.wait_for(client(server.sockets[0].getsockname()[1]), 10)


asyncio.run(main())
