"""The Sans-I/O protocol, from RFC 6455 sections 5 to 7."""

from __future__ import annotations

import logging
import uuid

import pytest
from core_helpers import transfer
from hypothesis import given, settings
from hypothesis import strategies as st

from websockets_impl.exceptions import (
    ConnectionClosedError,
    ConnectionClosedOK,
    InvalidState,
    PayloadTooBig,
    ProtocolError,
    TooManyFragments,
)
from websockets_impl.extensions.permessage_deflate import PerMessageDeflate
from websockets_impl.frames import (
    BINARY,
    CLOSE,
    CONT,
    PING,
    PONG,
    TEXT,
    Close,
    CloseCode,
    Frame,
)
from websockets_impl.protocol import (
    CLIENT,
    CLOSED,
    CLOSING,
    CONNECTING,
    MAX_FRAGMENTS,
    OPEN,
    SEND_EOF,
    SERVER,
    Protocol,
    Side,
    State,
)


def pair(**kwargs: object) -> tuple[Protocol, Protocol]:
    return Protocol(CLIENT, **kwargs), Protocol(SERVER, **kwargs)  # type: ignore[arg-type]


def wire(frame: Frame, *, mask: bool) -> bytes:
    return frame.serialize(mask=mask)


def close_code_sent(protocol: Protocol) -> int | None:
    """Code of the close frame in the output, None if there is no close frame."""
    for data in protocol.data_to_send():
        if data and data[0] & 0x0F == CLOSE:
            assert protocol.side is SERVER, "client frames are masked"
            return int.from_bytes(data[2:4], "big")
    return None


class TestInit:
    def test_enums(self) -> None:
        assert [int(state) for state in (CONNECTING, OPEN, CLOSING, CLOSED)] == [0, 1, 2, 3]
        assert State.OPEN is OPEN
        assert (int(SERVER), int(CLIENT)) == (0, 1)
        assert Side.CLIENT is CLIENT
        assert SEND_EOF == b""

    def test_defaults(self) -> None:
        protocol = Protocol(SERVER)
        assert protocol.state is OPEN
        assert isinstance(protocol.id, uuid.UUID)
        assert protocol.max_message_size == 2**20
        assert protocol.max_fragment_size is None
        assert (protocol.origin, protocol.extensions, protocol.subprotocol) == (None, [], None)
        assert protocol.close_rcvd is protocol.close_sent is protocol.close_rcvd_then_sent is None
        assert protocol.handshake_exc is protocol.parser_exc is None
        assert protocol.eof_sent is False
        assert protocol.close_code is None and protocol.close_reason is None

    def test_default_loggers(self) -> None:
        assert Protocol(SERVER).logger.name == "websockets.server"  # type: ignore[union-attr]
        assert Protocol(CLIENT).logger.name == "websockets.client"  # type: ignore[union-attr]

    def test_max_size_tuple(self) -> None:
        protocol = Protocol(SERVER, max_size=(100, 10))
        assert (protocol.max_message_size, protocol.max_fragment_size) == (100, 10)

    def test_unique_ids(self) -> None:
        assert Protocol(SERVER).id != Protocol(SERVER).id


class TestSend:
    def test_client_masks_and_server_does_not(self) -> None:
        client, server = pair()
        client.send_text(b"hi")
        server.send_text(b"hi")
        [client_data] = client.data_to_send()
        [server_data] = server.data_to_send()
        assert client_data[1] & 0x80 and len(client_data) == 2 + 4 + 2
        assert server_data == b"\x81\x02hi"

    def test_binary_and_fragments(self) -> None:
        server = Protocol(SERVER)
        server.send_binary(b"a", fin=False)
        server.send_continuation(b"b", fin=False)
        server.send_continuation(b"c", fin=True)
        assert server.data_to_send() == [b"\x02\x01a", b"\x00\x01b", b"\x80\x01c"]

    def test_continuation_without_message(self) -> None:
        with pytest.raises(ProtocolError):
            Protocol(SERVER).send_continuation(b"", fin=True)

    def test_new_message_while_fragmented(self) -> None:
        server = Protocol(SERVER)
        server.send_text(b"a", fin=False)
        with pytest.raises(ProtocolError):
            server.send_text(b"b")
        with pytest.raises(ProtocolError):
            server.send_binary(b"b")

    def test_control_frames_between_fragments(self) -> None:
        server = Protocol(SERVER)
        server.send_text(b"a", fin=False)
        server.send_ping(b"p")
        server.send_continuation(b"b", fin=True)
        assert len(server.data_to_send()) == 3

    def test_ping_and_pong(self) -> None:
        server = Protocol(SERVER)
        server.send_ping(b"ping")
        server.send_pong(b"pong")
        assert server.data_to_send() == [b"\x89\x04ping", b"\x8a\x04pong"]

    def test_send_close(self) -> None:
        server = Protocol(SERVER)
        server.send_close(CloseCode.GOING_AWAY, "bye")
        assert server.data_to_send() == [b"\x88\x05\x03\xe9bye"]
        assert server.state is CLOSING
        assert server.close_sent == Close(1001, "bye")

    def test_send_close_without_code(self) -> None:
        server = Protocol(SERVER)
        server.send_close()
        assert server.data_to_send() == [b"\x88\x00"]
        assert server.close_sent == Close(CloseCode.NO_STATUS_RCVD, "")

    def test_send_close_with_reason_without_code(self) -> None:
        with pytest.raises(ProtocolError):
            Protocol(SERVER).send_close(reason="why")

    @pytest.mark.parametrize("code", [1005, 1006, 1015, 999, 5000])
    def test_send_close_with_invalid_code(self, code: int) -> None:
        server = Protocol(SERVER)
        with pytest.raises(ProtocolError):
            server.send_close(code)
        assert server.state is OPEN

    def test_no_data_after_close(self) -> None:
        server = Protocol(SERVER)
        server.send_close(1000)
        for send in (server.send_text, server.send_binary):
            with pytest.raises(InvalidState, match="connection is closing"):
                send(b"")
        with pytest.raises(InvalidState):
            server.send_close(1000)
        # Control frames are still allowed while closing.
        server.send_ping(b"")
        server.send_pong(b"")

    def test_nothing_after_closed(self) -> None:
        server = Protocol(SERVER)
        server.receive_eof()
        assert server.state is CLOSED
        with pytest.raises(InvalidState):
            server.send_ping(b"")
        with pytest.raises(InvalidState):
            server.send_text(b"")

    def test_nothing_while_connecting(self) -> None:
        server = Protocol(SERVER, state=CONNECTING)
        with pytest.raises(InvalidState):
            server.send_text(b"")
        with pytest.raises(InvalidState):
            server.send_ping(b"")


class TestReceive:
    def test_text_and_binary(self) -> None:
        client, server = pair()
        client.send_text("café".encode())
        client.send_binary(b"\x00\xff")
        transfer(client, server)
        assert server.events_received() == [
            Frame(TEXT, "café".encode()),
            Frame(BINARY, b"\x00\xff"),
        ]
        assert server.data_to_send() == []

    def test_byte_by_byte(self) -> None:
        server = Protocol(SERVER)
        data = wire(Frame(TEXT, b"x" * 200), mask=True)
        for index in range(len(data)):
            server.receive_data(data[index : index + 1])
        assert server.events_received() == [Frame(TEXT, b"x" * 200)]

    def test_several_frames_at_once(self) -> None:
        client = Protocol(CLIENT)
        data = wire(Frame(TEXT, b"a"), mask=False) + wire(Frame(TEXT, b"b"), mask=False)
        client.receive_data(data)
        assert [frame.data for frame in client.events_received()] == [b"a", b"b"]

    def test_fragmented_message(self) -> None:
        client, server = pair()
        client.send_text(b"a", fin=False)
        client.send_continuation(b"b", fin=False)
        client.send_continuation(b"c", fin=True)
        transfer(client, server)
        assert [(f.opcode, f.data, f.fin) for f in server.events_received()] == [
            (TEXT, b"a", False),
            (CONT, b"b", False),
            (CONT, b"c", True),
        ]

    def test_ping_is_answered_with_pong(self) -> None:
        client, server = pair()
        client.send_ping(b"hello")
        transfer(client, server)
        assert server.events_received() == [Frame(PING, b"hello")]
        assert server.data_to_send() == [b"\x8a\x05hello"]

    def test_ping_between_fragments(self) -> None:
        client, server = pair()
        client.send_binary(b"a", fin=False)
        client.send_ping(b"p")
        client.send_continuation(b"b", fin=True)
        transfer(client, server)
        assert [f.opcode for f in server.events_received()] == [BINARY, PING, CONT]

    def test_pong_is_not_answered(self) -> None:
        client, server = pair()
        client.send_pong(b"unsolicited")
        transfer(client, server)
        assert server.events_received() == [Frame(PONG, b"unsolicited")]
        assert server.data_to_send() == []


class TestProtocolErrors:
    def test_unmasked_frame_to_server_fails_with_1002(self) -> None:
        server = Protocol(SERVER)
        server.receive_data(wire(Frame(TEXT, b"hello"), mask=False))
        assert server.events_received() == []
        assert isinstance(server.parser_exc, ProtocolError)
        assert server.data_to_send() == [
            wire(Frame(CLOSE, Close(1002, "incorrect masking").serialize()), mask=False),
            SEND_EOF,
        ]
        assert server.state is CLOSING
        assert server.close_expected()

    def test_masked_frame_to_client_fails_with_1002(self) -> None:
        client = Protocol(CLIENT)
        client.receive_data(wire(Frame(TEXT, b"hello"), mask=True))
        assert isinstance(client.parser_exc, ProtocolError)
        # The client sends no EOF: it waits for the server to close TCP.
        [close] = client.data_to_send()
        assert close[0] == 0x88
        assert client.close_sent == Close(1002, "incorrect masking")

    @pytest.mark.parametrize(
        "frames",
        [
            [Frame(CONT, b"x")],
            [Frame(TEXT, b"a", fin=False), Frame(TEXT, b"b")],
            [Frame(BINARY, b"a", fin=False), Frame(BINARY, b"b")],
        ],
    )
    def test_fragmentation_errors(self, frames: list[Frame]) -> None:
        server = Protocol(SERVER)
        server.receive_data(b"".join(wire(frame, mask=True) for frame in frames))
        assert isinstance(server.parser_exc, ProtocolError)
        assert close_code_sent(server) == CloseCode.PROTOCOL_ERROR

    def test_invalid_close_code_received(self) -> None:
        server = Protocol(SERVER)
        server.receive_data(b"\x88\x82\x00\x00\x00\x00" + (1006).to_bytes(2, "big"))
        assert isinstance(server.parser_exc, ProtocolError)
        assert close_code_sent(server) == CloseCode.PROTOCOL_ERROR

    def test_nothing_is_parsed_after_failing(self) -> None:
        server = Protocol(SERVER)
        data = wire(Frame(CONT, b"x"), mask=True) + wire(Frame(TEXT, b"after"), mask=True)
        server.receive_data(data)
        server.receive_data(wire(Frame(TEXT, b"later"), mask=True))
        assert server.events_received() == []

    def test_fail_while_open(self) -> None:
        client, server = pair()
        server.fail(CloseCode.POLICY_VIOLATION, "no")
        assert server.data_to_send() == [b"\x88\x04\x03\xf0no", SEND_EOF]
        client.fail(CloseCode.INTERNAL_ERROR)
        [close] = client.data_to_send()
        assert close[0] == 0x88
        assert client.close_sent == Close(1011, "")
        assert client.state is CLOSING and server.state is CLOSING

    def test_fail_with_1006_sends_no_close_frame(self) -> None:
        server = Protocol(SERVER)
        server.fail(CloseCode.ABNORMAL_CLOSURE)
        assert server.data_to_send() == [SEND_EOF]
        assert server.close_sent is None
        assert server.close_expected()

    def test_long_error_messages_fit_in_a_close_frame(self) -> None:
        server = Protocol(SERVER)
        server._fail_parser(ProtocolError(), CloseCode.PROTOCOL_ERROR, "é" * 200)
        assert server.close_sent is not None
        assert len(server.close_sent.serialize()) <= 125


class TestUTF8:
    def test_invalid_text_fails_with_1007(self) -> None:
        server = Protocol(SERVER)
        server.receive_data(wire(Frame(TEXT, b"\xff"), mask=True))
        assert isinstance(server.parser_exc, UnicodeDecodeError)
        assert close_code_sent(server) == CloseCode.INVALID_DATA

    def test_character_split_across_fragments(self) -> None:
        euro = "€".encode()  # three bytes
        server = Protocol(SERVER)
        frames = [
            Frame(TEXT, euro[:1], fin=False),
            Frame(CONT, euro[1:2], fin=False),
            Frame(CONT, euro[2:]),
        ]
        server.receive_data(b"".join(wire(frame, mask=True) for frame in frames))
        assert server.parser_exc is None
        assert b"".join(f.data for f in server.events_received()) == euro

    def test_invalid_sequence_split_across_fragments(self) -> None:
        server = Protocol(SERVER)
        server.receive_data(wire(Frame(TEXT, b"\xe2\x82", fin=False), mask=True))
        assert server.parser_exc is None
        server.receive_data(wire(Frame(CONT, b"\x28"), mask=True))
        assert isinstance(server.parser_exc, UnicodeDecodeError)
        assert close_code_sent(server) == CloseCode.INVALID_DATA

    def test_invalid_byte_detected_before_the_end_of_the_message(self) -> None:
        server = Protocol(SERVER)
        server.receive_data(wire(Frame(TEXT, b"ok\xc0\xaf", fin=False), mask=True))
        assert isinstance(server.parser_exc, UnicodeDecodeError)

    def test_truncated_character_at_end_of_message(self) -> None:
        server = Protocol(SERVER)
        frames = [Frame(TEXT, b"a", fin=False), Frame(CONT, "€".encode()[:2])]
        server.receive_data(b"".join(wire(frame, mask=True) for frame in frames))
        assert isinstance(server.parser_exc, UnicodeDecodeError)

    def test_binary_is_not_checked(self) -> None:
        server = Protocol(SERVER)
        server.receive_data(wire(Frame(BINARY, b"\xff"), mask=True))
        assert server.parser_exc is None

    def test_invalid_close_reason_fails_with_1007(self) -> None:
        server = Protocol(SERVER)
        server.receive_data(wire(Frame(CLOSE, b"\x03\xe8\xff"), mask=True))
        assert isinstance(server.parser_exc, UnicodeDecodeError)
        assert close_code_sent(server) == CloseCode.INVALID_DATA


class TestLimits:
    def test_message_too_big_fails_with_1009(self) -> None:
        server = Protocol(SERVER, max_size=1000)
        server.receive_data(wire(Frame(BINARY, b"x" * 1001), mask=True))
        assert isinstance(server.parser_exc, PayloadTooBig)
        assert close_code_sent(server) == CloseCode.MESSAGE_TOO_BIG

    def test_limit_is_inclusive(self) -> None:
        server = Protocol(SERVER, max_size=1000)
        server.receive_data(wire(Frame(BINARY, b"x" * 1000), mask=True))
        assert server.parser_exc is None

    def test_checked_from_the_header_before_buffering(self) -> None:
        server = Protocol(SERVER, max_size=2**20)
        # Only the header of a 1 GiB frame arrives.
        server.receive_data(b"\x82\xff" + (2**30).to_bytes(8, "big"))
        assert isinstance(server.parser_exc, PayloadTooBig)
        assert server.parser_exc.size == 2**30

    def test_limit_applies_to_the_whole_message(self) -> None:
        server = Protocol(SERVER, max_size=1000)
        frames = [Frame(BINARY, b"x" * 600, fin=False), Frame(CONT, b"x" * 600)]
        server.receive_data(b"".join(wire(frame, mask=True) for frame in frames))
        exc = server.parser_exc
        assert isinstance(exc, PayloadTooBig)
        assert (exc.size, exc.current_size, exc.max_size) == (600, 600, 1000)
        assert close_code_sent(server) == CloseCode.MESSAGE_TOO_BIG

    def test_limit_resets_between_messages(self) -> None:
        server = Protocol(SERVER, max_size=1000)
        data = b"".join(wire(Frame(BINARY, b"x" * 1000), mask=True) for _ in range(3))
        server.receive_data(data)
        assert server.parser_exc is None
        assert len(server.events_received()) == 3

    def test_control_frames_between_fragments_near_the_limit(self) -> None:
        server = Protocol(SERVER, max_size=1000)
        frames = [
            Frame(BINARY, b"x" * 990, fin=False),
            Frame(PING, b"p" * 100),
            Frame(CONT, b"x" * 10),
        ]
        server.receive_data(b"".join(wire(frame, mask=True) for frame in frames))
        assert server.parser_exc is None

    def test_fragment_limit(self) -> None:
        server = Protocol(SERVER, max_size=(1000, 300))
        frames = [Frame(BINARY, b"x" * 300, fin=False), Frame(CONT, b"x" * 301)]
        server.receive_data(b"".join(wire(frame, mask=True) for frame in frames))
        exc = server.parser_exc
        assert isinstance(exc, PayloadTooBig)
        assert (exc.size, exc.max_size) == (301, 300)

    def test_no_limit(self) -> None:
        server = Protocol(SERVER, max_size=None)
        server.receive_data(wire(Frame(BINARY, b"x" * (2**20 + 1)), mask=True))
        assert server.parser_exc is None

    def test_too_many_fragments_fails_with_1009(self) -> None:
        server = Protocol(SERVER, max_size=None)
        first = wire(Frame(BINARY, b"", fin=False), mask=True)
        middle = wire(Frame(CONT, b"", fin=False), mask=True)
        server.receive_data(first + middle * (MAX_FRAGMENTS - 1))
        assert server.parser_exc is None
        server.receive_data(middle)
        assert isinstance(server.parser_exc, TooManyFragments)
        assert close_code_sent(server) == CloseCode.MESSAGE_TOO_BIG

    def test_max_fragments_allowed(self) -> None:
        server = Protocol(SERVER, max_size=None)
        first = wire(Frame(BINARY, b"", fin=False), mask=True)
        middle = wire(Frame(CONT, b"", fin=False), mask=True)
        last = wire(Frame(CONT, b""), mask=True)
        server.receive_data(first + middle * (MAX_FRAGMENTS - 2) + last)
        assert server.parser_exc is None


class TestClosingHandshake:
    def test_client_initiates(self) -> None:
        client, server = pair()
        client.send_close(CloseCode.NORMAL_CLOSURE, "bye")
        assert client.state is CLOSING and client.close_expected()
        transfer(client, server)
        assert server.events_received() == [Frame(CLOSE, Close(1000, "bye").serialize())]
        # The server echoes the close frame and closes the TCP connection.
        writes = transfer(server, client)
        assert writes[-1] == SEND_EOF
        assert server.state is CLOSING
        assert client.state is CLOSED
        # The client closes its side once the server did.
        assert transfer(client, server) == [SEND_EOF]
        assert server.state is CLOSED
        assert (client.close_rcvd_then_sent, server.close_rcvd_then_sent) == (False, True)
        assert client.close_code == server.close_code == 1000
        assert client.close_reason == server.close_reason == "bye"
        assert isinstance(client.close_exc, ConnectionClosedOK)
        assert isinstance(server.close_exc, ConnectionClosedOK)

    def test_server_initiates(self) -> None:
        client, server = pair()
        server.send_close(CloseCode.GOING_AWAY)
        transfer(server, client)
        assert client.state is CLOSING
        transfer(client, server)
        assert server.state is CLOSING
        assert server.data_to_send() == [SEND_EOF]
        client.receive_eof()
        assert client.state is CLOSED
        assert client.data_to_send() == [SEND_EOF]
        server.receive_eof()
        assert server.state is CLOSED
        assert server.close_rcvd_then_sent is False
        assert client.close_rcvd_then_sent is True
        assert str(client.close_exc) == "received 1001 (going away); then sent 1001 (going away)"

    def test_simultaneous_close(self) -> None:
        client, server = pair()
        client.send_close(1000)
        server.send_close(1000)
        transfer(client, server)
        transfer(server, client)
        assert client.close_rcvd_then_sent is server.close_rcvd_then_sent is False
        assert server.eof_sent

    def test_empty_close_frame(self) -> None:
        client, server = pair()
        client.send_close()
        transfer(client, server)
        transfer(server, client)
        assert server.close_rcvd == Close(CloseCode.NO_STATUS_RCVD, "")
        assert client.close_code == CloseCode.NO_STATUS_RCVD
        assert isinstance(client.close_exc, ConnectionClosedOK)

    def test_error_code_gives_connection_closed_error(self) -> None:
        client, server = pair()
        client.send_close(CloseCode.INTERNAL_ERROR)
        transfer(client, server)
        transfer(server, client)
        assert isinstance(client.close_exc, ConnectionClosedError)

    def test_close_in_a_fragmented_message_fails_with_1002(self) -> None:
        client, server = pair()
        client.send_text(b"a", fin=False)
        client.send_close(1000)
        transfer(client, server)
        assert [f.opcode for f in server.events_received()] == [TEXT]
        assert isinstance(server.parser_exc, ProtocolError)
        assert str(server.parser_exc) == "incomplete fragmented message"
        assert server.close_sent == Close(CloseCode.PROTOCOL_ERROR, "incomplete fragmented message")
        # The close frame was received, even though it failed the connection.
        assert server.close_rcvd == Close(1000, "")
        assert close_code_sent(server) == CloseCode.PROTOCOL_ERROR
        # Ours followed theirs: the exception the connection raises from now on says so.
        assert server.close_rcvd_then_sent is True
        server.receive_eof()
        exc = server.close_exc
        assert isinstance(exc, ConnectionClosedError)
        assert (exc.rcvd, exc.sent, exc.rcvd_then_sent) == (
            Close(1000, ""),
            Close(CloseCode.PROTOCOL_ERROR, "incomplete fragmented message"),
            True,
        )

    def test_invalid_close_frame_in_a_fragmented_message_reports_the_payload(self) -> None:
        server = Protocol(SERVER)
        server.receive_data(wire(Frame(TEXT, b"a", fin=False), mask=True))
        server.receive_data(wire(Frame(CLOSE, b"\x03"), mask=True))
        assert str(server.parser_exc) == "close frame too short"

    def test_data_after_close_frame_is_ignored(self) -> None:
        server = Protocol(SERVER)
        data = wire(Frame(CLOSE, b""), mask=True) + wire(Frame(TEXT, b"late"), mask=True)
        server.receive_data(data)
        assert [f.opcode for f in server.events_received()] == [CLOSE]
        assert server.parser_exc is None

    def test_no_pong_after_sending_close(self) -> None:
        client, server = pair()
        server.send_close(1000)
        server.data_to_send()
        client.send_ping(b"p")
        transfer(client, server)
        assert server.data_to_send() == []

    def test_eof_without_close_frame(self) -> None:
        server = Protocol(SERVER)
        server.receive_eof()
        assert server.state is CLOSED
        assert server.close_code == CloseCode.ABNORMAL_CLOSURE
        assert server.close_reason == ""
        assert isinstance(server.parser_exc, EOFError)
        assert server.data_to_send() == [SEND_EOF]
        exc = server.close_exc
        assert isinstance(exc, ConnectionClosedError)
        assert exc.__cause__ is server.parser_exc
        assert str(exc) == "no close frame received or sent"

    def test_eof_in_the_middle_of_a_frame(self) -> None:
        client = Protocol(CLIENT)
        client.receive_data(b"\x81\x05hel")
        client.receive_eof()
        assert client.state is CLOSED
        assert client.close_code == 1006
        assert client.data_to_send() == [SEND_EOF]

    def test_receive_eof_is_idempotent(self) -> None:
        server = Protocol(SERVER)
        server.receive_eof()
        server.receive_eof()
        assert server.state is CLOSED

    def test_receive_data_after_eof(self) -> None:
        server = Protocol(SERVER)
        server.receive_eof()
        with pytest.raises(EOFError):
            server.receive_data(b"x")

    def test_close_expected(self) -> None:
        client, server = pair()
        assert not client.close_expected() and not server.close_expected()
        client.send_close(1000)
        assert client.state is CLOSING and client.close_expected()
        transfer(client, server)
        assert server.state is CLOSING and server.close_expected()
        transfer(server, client)
        # The server's EOF completes the closing handshake: nothing more to expect.
        assert client.state is CLOSED and not client.close_expected()

    def test_close_expected_after_close_frame_and_eof(self) -> None:
        server = Protocol(SERVER)
        server.receive_data(wire(Frame(CLOSE, b""), mask=True))
        server.receive_eof()
        assert server.state is CLOSED
        assert not server.close_expected()

    def test_close_expected_while_connecting_once_eof_sent(self) -> None:
        protocol = Protocol(SERVER, state=CONNECTING)
        assert not protocol.close_expected()
        protocol.send_eof()
        assert protocol.close_expected()


class TestLogging:
    def test_debug_logs_frames_and_states(self, caplog: pytest.LogCaptureFixture) -> None:
        logger = logging.getLogger("test.protocol")
        logger.setLevel(logging.DEBUG)
        with caplog.at_level(logging.DEBUG, logger="test.protocol"):
            server = Protocol(SERVER, logger=logger)
            assert server.debug
            server.send_text(b"hi")
            server.receive_data(wire(Frame(CLOSE, Close(1000, "").serialize()), mask=True))
        messages = [record.getMessage() for record in caplog.records]
        assert "= connection is OPEN" in messages
        assert "> TEXT 'hi' [2 bytes]" in messages
        assert "< CLOSE 1000 (OK) [2 bytes]" in messages
        assert "= connection is CLOSING" in messages
        assert "> EOF" in messages

    def test_no_debug_by_default(self) -> None:
        logger = logging.getLogger("test.protocol.quiet")
        logger.setLevel(logging.INFO)
        assert not Protocol(SERVER, logger=logger).debug


class TestFuzz:
    """Whatever arrives, the protocol fails cleanly with a documented error."""

    EXPECTED = (ProtocolError, EOFError, UnicodeDecodeError, PayloadTooBig, TooManyFragments)

    @settings(max_examples=200, deadline=None)
    @given(
        chunks=st.lists(st.binary(max_size=64), max_size=6),
        side=st.sampled_from([SERVER, CLIENT]),
        deflate=st.booleans(),
    )
    def test_random_input(self, chunks: list[bytes], side: Side, deflate: bool) -> None:
        protocol = Protocol(side, max_size=1000)
        if deflate:
            protocol.extensions = [PerMessageDeflate(False, False, 15, 15)]
        for chunk in chunks:
            protocol.receive_data(chunk)
        protocol.receive_eof()
        assert protocol.state is CLOSED
        assert protocol.parser_exc is None or isinstance(protocol.parser_exc, self.EXPECTED)
        assert protocol.data_to_send()[-1:] == [SEND_EOF]


def close_sent_on_wire(protocol: Protocol) -> Close | None:
    """The close frame a server wrote, parsed; None if it wrote none."""
    for data in protocol.data_to_send():
        if data and data[0] & 0x0F == CLOSE:
            assert protocol.side is SERVER, "client frames are masked"
            return Close.parse(data[2:])
    return None


class TestFailureReasons:
    def test_invalid_opcode_reason_has_no_number(self) -> None:
        server = Protocol(SERVER)
        server.receive_data(b"\x8f\x80\x00\x00\x00\x00")
        assert str(server.parser_exc) == "invalid opcode"
        assert close_sent_on_wire(server) == Close(CloseCode.PROTOCOL_ERROR, "invalid opcode")

    def test_invalid_close_code_reason_has_no_number(self) -> None:
        server = Protocol(SERVER)
        server.receive_data(wire(Frame(CLOSE, (1006).to_bytes(2, "big")), mask=True))
        assert str(server.parser_exc) == "invalid status code"
        assert close_sent_on_wire(server) == Close(CloseCode.PROTOCOL_ERROR, "invalid status code")

    def test_unexpected_parser_error_fails_with_1011_and_logs(
        self, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        server = Protocol(SERVER)
        bug = ZeroDivisionError("parser bug")

        def broken_recv_frame(frame: Frame) -> None:
            raise bug

        monkeypatch.setattr(server, "recv_frame", broken_recv_frame)
        with caplog.at_level(logging.ERROR, logger="websockets.server"):
            server.receive_data(wire(Frame(TEXT, b"x"), mask=True))
        assert server.parser_exc is bug
        assert close_sent_on_wire(server) == Close(CloseCode.INTERNAL_ERROR, "")
        [record] = [r for r in caplog.records if r.name == "websockets.server"]
        assert record.levelno == logging.ERROR
        assert record.getMessage() == "parser failed"
        assert record.exc_info is not None and record.exc_info[1] is bug


class TestModuleInterface:
    def test_star_import_exports_send_eof_and_not_the_constants(self) -> None:
        namespace: dict[str, object] = {}
        exec("from websockets_impl.protocol import *", namespace)
        exported = {name for name in namespace if not name.startswith("__")}
        assert exported == {"Protocol", "Side", "State", "SEND_EOF"}
        assert namespace["SEND_EOF"] == b""


class TestStateLogging:
    @pytest.mark.parametrize("state", [CONNECTING, OPEN])
    def test_construction_logs_the_initial_state_once(
        self, state: State, caplog: pytest.LogCaptureFixture
    ) -> None:
        logger = logging.getLogger("test.protocol.initial")
        logger.setLevel(logging.DEBUG)
        with caplog.at_level(logging.DEBUG, logger="test.protocol.initial"):
            Protocol(SERVER, state=state, logger=logger)
        assert [record.getMessage() for record in caplog.records] == [
            f"= connection is {state.name}"
        ]


class TestMessageTooBigReason:
    def test_single_frame(self) -> None:
        server = Protocol(SERVER, max_size=4)
        server.receive_data(wire(Frame(BINARY, b"x" * 8), mask=True))
        reason = "frame with 8 bytes exceeds limit of 4 bytes"
        assert str(server.parser_exc) == reason
        assert close_sent_on_wire(server) == Close(CloseCode.MESSAGE_TOO_BIG, reason)

    def test_fragment_after_earlier_fragments(self) -> None:
        server = Protocol(SERVER, max_size=4)
        server.receive_data(wire(Frame(BINARY, b"abc", fin=False), mask=True))
        server.receive_data(wire(Frame(CONT, b"def"), mask=True))
        reason = "frame with 3 bytes after reading 3 bytes exceeds limit of 4 bytes"
        assert close_sent_on_wire(server) == Close(CloseCode.MESSAGE_TOO_BIG, reason)

    def test_limit_below_control_frame_size(self) -> None:
        # The header is checked against a limit that lets 125-byte control frames in;
        # a data frame over max_size is still reported with max_size.
        server = Protocol(SERVER, max_size=100)
        server.receive_data(wire(Frame(BINARY, b"x" * 200), mask=True))
        reason = "frame with 200 bytes exceeds limit of 100 bytes"
        assert close_sent_on_wire(server) == Close(CloseCode.MESSAGE_TOO_BIG, reason)

    def test_fragment_limit(self) -> None:
        server = Protocol(SERVER, max_size=(None, 150))
        server.receive_data(wire(Frame(BINARY, b"x" * 200), mask=True))
        reason = "frame with 200 bytes exceeds limit of 150 bytes"
        assert close_sent_on_wire(server) == Close(CloseCode.MESSAGE_TOO_BIG, reason)
