"""Sans-I/O interoperability: websockets_impl against upstream websockets and wsproto.

Peers run in memory: bytes from one side's output are fed to the other side's input.
Upstream websockets and wsproto are black-box test peers only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import websockets.client as upstream_client
import websockets.extensions.permessage_deflate as upstream_deflate
import websockets.server as upstream_server
import websockets.uri as upstream_uri
from wsproto import ConnectionType, WSConnection
from wsproto import events as ws_events
from wsproto.extensions import PerMessageDeflate as WsprotoDeflate

from websockets_impl.client import ClientProtocol
from websockets_impl.extensions.permessage_deflate import (
    PerMessageDeflate,
    enable_client_permessage_deflate,
    enable_server_permessage_deflate,
)
from websockets_impl.protocol import CLOSED, OPEN
from websockets_impl.server import ServerProtocol
from websockets_impl.typing import Subprotocol
from websockets_impl.uri import parse_uri

TEXT, BINARY, CONT, CLOSE, PING, PONG = 1, 2, 0, 8, 9, 10


def transfer(source: Any, target: Any) -> list[bytes]:
    """Deliver what a Sans-I/O protocol (either library) wants to send."""
    writes: list[bytes] = source.data_to_send()
    for data in writes:
        if data:
            target.receive_data(data)
        else:
            target.receive_eof()
    return writes


def frames(protocol: Any) -> list[tuple[int, bytes, bool]]:
    """Received frames as (opcode, payload, fin), comparable across libraries."""
    return [(int(f.opcode), bytes(f.data), f.fin) for f in protocol.events_received()]


# Our protocols against upstream websockets' Sans-I/O protocols.


def our_client() -> ClientProtocol:
    return ClientProtocol(
        parse_uri("ws://example.com/chat"),
        extensions=enable_client_permessage_deflate(None),
        subprotocols=[Subprotocol("chat"), Subprotocol("v2")],
    )


def our_server() -> ServerProtocol:
    return ServerProtocol(
        extensions=enable_server_permessage_deflate(None), subprotocols=[Subprotocol("v2")]
    )


def upstream_client_protocol() -> Any:
    return upstream_client.ClientProtocol(
        upstream_uri.parse_uri("ws://example.com/chat"),
        extensions=upstream_deflate.enable_client_permessage_deflate(None),
        subprotocols=["chat", "v2"],
    )


def upstream_server_protocol() -> Any:
    return upstream_server.ServerProtocol(
        extensions=upstream_deflate.enable_server_permessage_deflate(None), subprotocols=["v2"]
    )


@pytest.fixture(params=["our client, upstream server", "upstream client, our server"])
def connected(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Any]]:
    if request.param.startswith("our client"):
        client, server = our_client(), upstream_server_protocol()
    else:
        client, server = upstream_client_protocol(), our_server()
    client.send_request(client.connect())
    transfer(client, server)
    [handshake_request] = server.events_received()
    server.send_response(server.accept(handshake_request))
    transfer(server, client)
    [response] = client.events_received()
    assert response.status_code == 101
    assert client.handshake_exc is None and server.handshake_exc is None
    assert client.state.name == server.state.name == "OPEN"
    yield client, server


class TestUpstream:
    def test_negotiation(self, connected: tuple[Any, Any]) -> None:
        client, server = connected
        assert client.subprotocol == server.subprotocol == "v2"
        for protocol in (client, server):
            [extension] = protocol.extensions
            assert extension.name == "permessage-deflate"
            assert extension.local_max_window_bits == extension.remote_max_window_bits == 12

    @pytest.mark.parametrize("direction", ["client to server", "server to client"])
    def test_messages(self, connected: tuple[Any, Any], direction: str) -> None:
        client, server = connected
        sender, receiver = (client, server) if direction == "client to server" else (server, client)
        large = b'{"key": "value", "n": 12345}' * 5000
        sender.send_text("héllo ☺".encode())
        sender.send_binary(b"\x00\x01\xfe\xff")
        sender.send_binary(large)
        transfer(sender, receiver)
        assert frames(receiver) == [
            (TEXT, "héllo ☺".encode(), True),
            (BINARY, b"\x00\x01\xfe\xff", True),
            (BINARY, large, True),
        ]

    @pytest.mark.parametrize("direction", ["client to server", "server to client"])
    def test_fragmented_message(self, connected: tuple[Any, Any], direction: str) -> None:
        client, server = connected
        sender, receiver = (client, server) if direction == "client to server" else (server, client)
        euro = "€".encode()
        sender.send_text(b"a" + euro[:1], fin=False)
        sender.send_continuation(euro[1:], fin=False)
        sender.send_continuation(b"b" * 1000, fin=True)
        transfer(sender, receiver)
        assert frames(receiver) == [
            (TEXT, b"a" + euro[:1], False),
            (CONT, euro[1:], False),
            (CONT, b"b" * 1000, True),
        ]

    def test_many_messages_share_the_compression_context(self, connected: tuple[Any, Any]) -> None:
        client, server = connected
        for index in range(50):
            client.send_text(f"message {index} with a common suffix".encode())
            server.send_text(f"reply {index} with a common suffix".encode())
        transfer(client, server)
        transfer(server, client)
        assert [data for _, data, _ in frames(server)][-1] == b"message 49 with a common suffix"
        assert [data for _, data, _ in frames(client)][-1] == b"reply 49 with a common suffix"

    def test_ping_pong(self, connected: tuple[Any, Any]) -> None:
        client, server = connected
        client.send_ping(b"from client")
        transfer(client, server)
        assert frames(server) == [(PING, b"from client", True)]
        transfer(server, client)
        assert frames(client) == [(PONG, b"from client", True)]
        server.send_ping(b"from server")
        transfer(server, client)
        transfer(client, server)
        assert frames(server) == [(PONG, b"from server", True)]

    @pytest.mark.parametrize("initiator", ["client", "server"])
    def test_close(self, connected: tuple[Any, Any], initiator: str) -> None:
        client, server = connected
        closer = client if initiator == "client" else server
        closer.send_close(1001, "going away")
        for _ in range(4):
            transfer(client, server)
            transfer(server, client)
        assert client.state.name == server.state.name == "CLOSED"
        assert client.close_code == server.close_code == 1001
        assert client.close_reason == server.close_reason == "going away"
        assert client.close_rcvd_then_sent is (initiator == "server")
        assert server.close_rcvd_then_sent is (initiator == "client")

    def test_protocol_error_is_reported_to_the_peer(self, connected: tuple[Any, Any]) -> None:
        client, server = connected
        # An unmasked frame, as if the client forgot to mask: the server fails with 1002.
        server.receive_data(b"\x81\x02hi")
        assert server.parser_exc is not None
        for _ in range(3):
            transfer(server, client)
            transfer(client, server)
        assert client.close_rcvd.code == server.close_sent.code == 1002
        assert client.state.name == server.state.name == "CLOSED"


def test_upstream_rejects_our_invalid_handshake_request() -> None:
    client = our_client()
    request = client.connect()
    del request.headers["Sec-WebSocket-Key"]
    client.send_request(request)
    server = upstream_server_protocol()
    transfer(client, server)
    [received] = server.events_received()
    response = server.accept(received)
    assert response.status_code == 400
    server.send_response(response)
    transfer(server, client)
    assert client.handshake_exc is not None
    assert "400" in str(client.handshake_exc)


def test_our_server_rejects_upstream_client_with_wrong_origin() -> None:
    client = upstream_client.ClientProtocol(
        upstream_uri.parse_uri("ws://example.com/"), origin="https://evil.example"
    )
    server = ServerProtocol(origins=["https://good.example"])
    client.send_request(client.connect())
    transfer(client, server)
    [request] = server.events_received()
    server.send_response(server.accept(request))
    transfer(server, client)
    assert "403" in str(client.handshake_exc)


# Our protocols against wsproto.


def wsproto_feed(connection: WSConnection, writes: list[bytes]) -> None:
    for data in writes:
        connection.receive_data(data or None)


def wsproto_events(connection: WSConnection) -> list[Any]:
    return list(connection.events())


class TestWsprotoClient:
    @pytest.fixture
    def connected(self) -> tuple[WSConnection, ServerProtocol]:
        peer = WSConnection(ConnectionType.CLIENT)
        server = our_server()
        request = ws_events.Request(
            host="example.com", target="/chat", extensions=[WsprotoDeflate()], subprotocols=["v2"]
        )
        server.receive_data(peer.send(request))
        [handshake_request] = server.events_received()
        server.send_response(server.accept(handshake_request))
        wsproto_feed(peer, server.data_to_send())
        [accepted] = wsproto_events(peer)
        assert isinstance(accepted, ws_events.AcceptConnection)
        assert accepted.subprotocol == "v2"
        assert server.state is OPEN
        [extension] = server.extensions
        assert isinstance(extension, PerMessageDeflate)
        return peer, server

    def test_messages_both_ways(self, connected: tuple[WSConnection, ServerProtocol]) -> None:
        peer, server = connected
        large = b"wsproto " * 20000
        server.receive_data(peer.send(ws_events.TextMessage("héllo")))
        server.receive_data(peer.send(ws_events.BytesMessage(large)))
        assert frames(server) == [(TEXT, "héllo".encode(), True), (BINARY, large, True)]
        server.send_text("réponse".encode())
        server.send_binary(large)
        wsproto_feed(peer, server.data_to_send())
        received = wsproto_events(peer)
        assert [event.data for event in received] == ["réponse", large]

    def test_fragmented_messages(self, connected: tuple[WSConnection, ServerProtocol]) -> None:
        peer, server = connected
        server.receive_data(peer.send(ws_events.TextMessage("ab", message_finished=False)))
        server.receive_data(peer.send(ws_events.TextMessage("cd", message_finished=True)))
        # wsproto may hold back compressed data until the end of the message.
        received = frames(server)
        assert [(opcode, fin) for opcode, _, fin in received] == [(TEXT, False), (CONT, True)]
        assert b"".join(data for _, data, _ in received) == b"abcd"
        server.send_binary(b"12", fin=False)
        server.send_continuation(b"34", fin=True)
        wsproto_feed(peer, server.data_to_send())
        messages = wsproto_events(peer)
        assert b"".join(event.data for event in messages) == b"1234"
        assert messages[-1].message_finished

    def test_ping_pong(self, connected: tuple[WSConnection, ServerProtocol]) -> None:
        peer, server = connected
        server.receive_data(peer.send(ws_events.Ping(b"are you there")))
        assert frames(server) == [(PING, b"are you there", True)]
        wsproto_feed(peer, server.data_to_send())
        [pong] = wsproto_events(peer)
        assert isinstance(pong, ws_events.Pong) and pong.payload == b"are you there"

    def test_close_from_wsproto(self, connected: tuple[WSConnection, ServerProtocol]) -> None:
        peer, server = connected
        server.receive_data(peer.send(ws_events.CloseConnection(code=1000, reason="done")))
        [echo, eof] = server.data_to_send()
        assert eof == b""
        peer.receive_data(echo)
        [close] = wsproto_events(peer)
        assert isinstance(close, ws_events.CloseConnection) and close.code == 1000
        server.receive_eof()
        assert server.state is CLOSED
        assert server.close_code == 1000 and server.close_reason == "done"

    def test_close_from_our_server(self, connected: tuple[WSConnection, ServerProtocol]) -> None:
        peer, server = connected
        server.send_close(1001, "bye")
        wsproto_feed(peer, server.data_to_send())
        [close] = wsproto_events(peer)
        assert isinstance(close, ws_events.CloseConnection)
        assert (close.code, close.reason) == (1001, "bye")
        server.receive_data(peer.send(close.response()))
        assert server.close_rcvd_then_sent is False
        assert server.data_to_send() == [b""]
        server.receive_eof()
        assert server.state is CLOSED


class TestWsprotoServer:
    @pytest.fixture
    def connected(self) -> tuple[ClientProtocol, WSConnection]:
        client = our_client()
        peer = WSConnection(ConnectionType.SERVER)
        client.send_request(client.connect())
        wsproto_feed(peer, client.data_to_send())
        [request] = wsproto_events(peer)
        assert isinstance(request, ws_events.Request)
        assert request.subprotocols == ["chat", "v2"]
        accept = ws_events.AcceptConnection(subprotocol="v2", extensions=[WsprotoDeflate()])
        client.receive_data(peer.send(accept))
        [response] = client.events_received()
        assert response.status_code == 101
        assert client.state is OPEN
        assert client.subprotocol == "v2"
        assert [extension.name for extension in client.extensions] == ["permessage-deflate"]
        return client, peer

    def test_messages_both_ways(self, connected: tuple[ClientProtocol, WSConnection]) -> None:
        client, peer = connected
        large = "données ".encode() * 20000
        client.send_text(large)
        client.send_binary(b"\x00" * 10)
        wsproto_feed(peer, client.data_to_send())
        assert [event.data for event in wsproto_events(peer)] == [large.decode(), b"\x00" * 10]
        client.receive_data(peer.send(ws_events.BytesMessage(b"binary reply")))
        client.receive_data(peer.send(ws_events.TextMessage("text reply")))
        assert frames(client) == [(BINARY, b"binary reply", True), (TEXT, b"text reply", True)]

    def test_ping_pong(self, connected: tuple[ClientProtocol, WSConnection]) -> None:
        client, peer = connected
        client.send_ping(b"ping")
        wsproto_feed(peer, client.data_to_send())
        [ping] = wsproto_events(peer)
        assert isinstance(ping, ws_events.Ping)
        client.receive_data(peer.send(ping.response()))
        assert frames(client) == [(PONG, b"ping", True)]

    def test_close_from_our_client(self, connected: tuple[ClientProtocol, WSConnection]) -> None:
        client, peer = connected
        client.send_close(1000, "finished")
        wsproto_feed(peer, client.data_to_send())
        [close] = wsproto_events(peer)
        assert isinstance(close, ws_events.CloseConnection)
        assert (close.code, close.reason) == (1000, "finished")
        client.receive_data(peer.send(close.response()))
        client.receive_eof()
        assert client.state is CLOSED
        assert client.close_code == 1000
        assert client.data_to_send() == [b""]

    def test_rejection(self) -> None:
        client = our_client()
        peer = WSConnection(ConnectionType.SERVER)
        client.send_request(client.connect())
        wsproto_feed(peer, client.data_to_send())
        wsproto_events(peer)
        data = peer.send(ws_events.RejectConnection(status_code=403, has_body=True))
        data += peer.send(ws_events.RejectData(data=b"forbidden", body_finished=True))
        client.receive_data(data)
        client.receive_eof()
        assert "403" in str(client.handshake_exc)
