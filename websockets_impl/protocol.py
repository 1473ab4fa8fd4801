"""The WebSocket protocol state machine, without I/O (RFC 6455 sections 5 to 7).

Feed received bytes with :meth:`Protocol.receive_data` and :meth:`Protocol.receive_eof`,
collect what they produced with :meth:`Protocol.events_received`, and write what
:meth:`Protocol.data_to_send` returns. An empty bytes, :data:`SEND_EOF`, means "close
the write side of the connection".
"""

from __future__ import annotations

import codecs
import enum
import logging
import os
import uuid
from collections.abc import Generator

from .exceptions import (
    ConnectionClosed,
    ConnectionClosedError,
    ConnectionClosedOK,
    InvalidState,
    PayloadTooBig,
    ProtocolError,
    TooManyFragments,
)
from .extensions import Extension
from .frames import (
    OK_CLOSE_CODES,
    OP_BINARY,
    OP_CLOSE,
    OP_CONT,
    OP_PING,
    OP_PONG,
    OP_TEXT,
    Close,
    CloseCode,
    Frame,
)
from .http11 import Request, Response
from .streams import StreamReader
from .typing import BytesLike, LoggerLike, Origin, Subprotocol

# As upstream: the module constants (CONNECTING, CLIENT, ...) aren't star-exported.
__all__ = ["SEND_EOF", "Protocol", "Side", "State"]

Event = Request | Response | Frame
"""Events that :meth:`Protocol.events_received` returns."""


class Side(enum.IntEnum):
    """Which end of the connection this is."""

    SERVER, CLIENT = range(2)


SERVER = Side.SERVER
CLIENT = Side.CLIENT


class State(enum.IntEnum):
    """Connection state, as in RFC 6455 section 4."""

    CONNECTING, OPEN, CLOSING, CLOSED = range(4)


CONNECTING = State.CONNECTING
OPEN = State.OPEN
CLOSING = State.CLOSING
CLOSED = State.CLOSED

SEND_EOF = b""
"""Item of :meth:`Protocol.data_to_send` asking to close the write side."""

MAX_FRAGMENTS = int(os.environ.get("WEBSOCKETS_MAX_FRAGMENTS", "4096"))
"""Most frames in a fragmented message; more fail the connection with 1009."""

# Control frames fit in 125 bytes; a message limit never rejects them.
_CONTROL_FRAME_ALLOWANCE = 125


class Protocol:
    """Sans-I/O WebSocket connection, common to clients and servers.

    ``max_size`` limits incoming messages, in bytes: an int or ``None`` for the whole
    message, or a ``(message, fragment)`` tuple that also limits each frame.
    """

    def __init__(
        self,
        side: Side,
        *,
        state: State = OPEN,
        max_size: int | tuple[int | None, int | None] | None = 2**20,
        logger: LoggerLike | None = None,
    ) -> None:
        self.id: uuid.UUID = uuid.uuid4()
        """Unique identifier of the connection, for logs."""

        if logger is None:
            # Same logger names as upstream, so existing logging configuration applies.
            logger = logging.getLogger(f"websockets.{side.name.lower()}")
        self.logger: LoggerLike = logger
        """Logger for this connection."""

        # Checking once avoids formatting debug messages that nobody reads.
        self.debug = logger.isEnabledFor(logging.DEBUG)

        self.side = side
        self._state = state
        if self.debug:
            self.logger.debug("= connection is %s", state.name)

        if isinstance(max_size, tuple):
            self.max_message_size, self.max_fragment_size = max_size
        else:
            self.max_message_size, self.max_fragment_size = max_size, None

        # The message being received: its size so far (None between messages), its
        # number of frames, and its UTF-8 decoder when it's a text message.
        self.cur_size: int | None = None
        self.cur_fragments = 0
        self.cur_decoder: codecs.IncrementalDecoder | None = None

        # Whether the message being sent is fragmented and needs continuation frames.
        self.expect_continuation_frame = False

        # Set by the opening handshake.
        self.origin: Origin | None = None
        self.extensions: list[Extension] = []
        self.subprotocol: Subprotocol | None = None

        # Closing handshake.
        self.close_rcvd: Close | None = None
        self.close_sent: Close | None = None
        self.close_rcvd_then_sent: bool | None = None

        # Why the opening handshake failed, if it did.
        self.handshake_exc: Exception | None = None

        self.eof_sent = False

        self.reader = StreamReader()
        self.events: list[Event] = []
        self.writes: list[bytes] = []
        self.parser = self.parse()
        next(self.parser)  # start the parser, up to its first read
        # Why parsing stopped, if it failed.
        self.parser_exc: Exception | None = None

    @property
    def state(self) -> State:
        """State of the connection: CONNECTING, OPEN, CLOSING or CLOSED."""
        return self._state

    @state.setter
    def state(self, state: State) -> None:
        if self.debug:
            self.logger.debug("= connection is %s", state.name)
        self._state = state

    @property
    def close_code(self) -> int | None:
        """Code of the close frame received; 1006 if none; ``None`` until CLOSED."""
        if self._state is not CLOSED:
            return None
        if self.close_rcvd is None:
            return CloseCode.ABNORMAL_CLOSURE
        return self.close_rcvd.code

    @property
    def close_reason(self) -> str | None:
        """Reason of the close frame received; empty if none; ``None`` until CLOSED."""
        if self._state is not CLOSED:
            return None
        if self.close_rcvd is None:
            return ""
        return self.close_rcvd.reason

    @property
    def close_exc(self) -> ConnectionClosed:
        """The exception to raise when using the connection after it closed.

        :exc:`ConnectionClosedOK` when close frames with code 1000, 1001 or no code were
        exchanged both ways, else :exc:`ConnectionClosedError`; chained to
        :attr:`parser_exc`.
        """
        exc_type: type[ConnectionClosed]
        if (
            self.close_rcvd is not None
            and self.close_sent is not None
            and self.close_rcvd.code in OK_CLOSE_CODES
            and self.close_sent.code in OK_CLOSE_CODES
        ):
            exc_type = ConnectionClosedOK
        else:
            exc_type = ConnectionClosedError
        exc = exc_type(self.close_rcvd, self.close_sent, self.close_rcvd_then_sent)
        exc.__cause__ = self.parser_exc
        return exc

    # Input.

    def receive_data(self, data: bytes) -> None:
        """Feed bytes received from the network; then call :meth:`events_received`
        and :meth:`data_to_send`.

        Raises:
            EOFError: :meth:`receive_eof` was called earlier.
        """
        self.reader.feed_data(data)
        next(self.parser)

    def receive_eof(self) -> None:
        """Signal that the other side closed its write side; idempotent."""
        if self.reader.eof:
            return
        self.reader.feed_eof()
        next(self.parser)

    # Output.

    def send_continuation(self, data: BytesLike, fin: bool) -> None:
        """Send a continuation frame of a fragmented message.

        Raises:
            ProtocolError: No fragmented message is in progress.
            InvalidState: The connection isn't open.
        """
        if not self.expect_continuation_frame:
            raise ProtocolError("unexpected continuation frame")
        self._check_open()
        self.expect_continuation_frame = not fin
        self.send_frame(Frame(OP_CONT, data, fin))

    def send_text(self, data: BytesLike, fin: bool = True) -> None:
        """Send a text frame; ``data`` is UTF-8 encoded; ``fin=False`` starts fragmenting.

        Raises:
            ProtocolError: A fragmented message is in progress.
            InvalidState: The connection isn't open.
        """
        if self.expect_continuation_frame:
            raise ProtocolError("expected a continuation frame")
        self._check_open()
        self.expect_continuation_frame = not fin
        self.send_frame(Frame(OP_TEXT, data, fin))

    def send_binary(self, data: BytesLike, fin: bool = True) -> None:
        """Send a binary frame; ``fin=False`` starts fragmenting.

        Raises:
            ProtocolError: A fragmented message is in progress.
            InvalidState: The connection isn't open.
        """
        if self.expect_continuation_frame:
            raise ProtocolError("expected a continuation frame")
        self._check_open()
        self.expect_continuation_frame = not fin
        self.send_frame(Frame(OP_BINARY, data, fin))

    def send_close(self, code: int | None = None, reason: str = "") -> None:
        """Start the closing handshake; without ``code``, send an empty close frame.

        Raises:
            ProtocolError: ``reason`` without ``code``, or a code that can't be sent.
            InvalidState: The connection isn't open.
        """
        self._check_open()
        if code is None:
            if reason != "":
                raise ProtocolError("cannot send a reason without a code")
            close = Close(CloseCode.NO_STATUS_RCVD, "")
            data = b""
        else:
            close = Close(code, reason)
            data = close.serialize()
        self.send_frame(Frame(OP_CLOSE, data))
        # A close frame can't follow the peer's: receiving one answers it in OPEN.
        self.close_sent = close
        self.state = CLOSING

    def send_ping(self, data: BytesLike) -> None:
        """Send a ping frame.

        Raises:
            InvalidState: The connection is neither open nor closing.
        """
        self._check_open_or_closing()
        self.send_frame(Frame(OP_PING, data))

    def send_pong(self, data: BytesLike) -> None:
        """Send a pong frame.

        Raises:
            InvalidState: The connection is neither open nor closing.
        """
        self._check_open_or_closing()
        self.send_frame(Frame(OP_PONG, data))

    def fail(self, code: int, reason: str = "") -> None:
        """Fail the connection (RFC 6455 7.1.7): send a close frame if the connection is
        open, stop processing input and, on a server, close the write side.

        Code 1006 sends no close frame: it can't appear on the wire.
        """
        if self._state is OPEN:
            if code != CloseCode.ABNORMAL_CLOSURE:
                close = Close(code, reason)
                self.send_frame(Frame(OP_CLOSE, close.serialize()))
                self.close_sent = close
            self.state = CLOSING
        # RFC 6455 7.1.1: the server closes the TCP connection first; the client waits
        # for that, which the discarding parser handles.
        if self.side is SERVER and not self.eof_sent:
            self.send_eof()
        # RFC 6455 7.1.7: don't process anything from the peer after failing.
        self.parser = self.discard()
        next(self.parser)

    # Results.

    def events_received(self) -> list[Event]:
        """Events produced by the data received since the last call."""
        events, self.events = self.events, []
        return events

    def data_to_send(self) -> list[bytes]:
        """Bytes to write since the last call; :data:`SEND_EOF` means half-close."""
        writes, self.writes = self.writes, []
        return writes

    def close_expected(self) -> bool:
        """Whether the TCP connection is expected to close soon.

        True while CLOSING, and in CONNECTING once this side sent EOF (a failed opening
        handshake); False when OPEN or already CLOSED. When true, the I/O layer should
        close the connection after a timeout if the peer doesn't. Call it after
        receiving data or EOF and after closing or failing.
        """
        state = self._state
        if state is CLOSING:
            return True
        return state is CONNECTING and self.eof_sent

    # Parsing.

    def parse(self) -> Generator[None, None, None]:
        """Parse frames until the closing handshake or a failure.

        Subclasses parse the opening handshake first, then delegate here.
        """
        try:
            while True:
                if (yield from self.reader.at_eof()):
                    raise EOFError("unexpected end of stream")
                limit = self._frame_size_limit()
                try:
                    frame = yield from Frame.parse(
                        self.reader.read_exact,
                        mask=self.side is SERVER,
                        max_size=limit,
                        extensions=self.extensions,
                    )
                except PayloadTooBig as exc:
                    raise self._message_too_big(exc) from None
                if self.debug:
                    self.logger.debug("< %s", frame)
                self.recv_frame(frame)
                if frame.opcode is OP_CLOSE:
                    # recv_frame() switched to discarding.
                    break
        except Exception as exc:
            self.parsing_failed(exc)
        # The parser is now discard(): this generator is never resumed.
        yield
        raise AssertionError("parse() shouldn't step after failing")

    def parsing_failed(self, exc: Exception) -> None:
        """Fail the connection for ``exc``, raised while parsing incoming frames.

        Also for fast paths that parse whole data frames themselves.
        """
        if isinstance(exc, ProtocolError):
            self._fail_parser(exc, CloseCode.PROTOCOL_ERROR, str(exc))
        elif isinstance(exc, EOFError):
            self._fail_parser(exc, CloseCode.ABNORMAL_CLOSURE, str(exc))
        elif isinstance(exc, UnicodeDecodeError):
            reason = f"{exc.reason} at position {exc.start}"
            self._fail_parser(exc, CloseCode.INVALID_DATA, reason)
        elif isinstance(exc, (PayloadTooBig, TooManyFragments)):
            if isinstance(exc, PayloadTooBig) and exc.size is None:
                # Inflating checks the frame's limit: report the limit that applies
                # (parse() already did; the result is the same).
                exc = self._message_too_big(exc)
            self._fail_parser(exc, CloseCode.MESSAGE_TOO_BIG, str(exc))
        else:
            self.logger.error("parser failed", exc_info=exc)
            self._fail_parser(exc, CloseCode.INTERNAL_ERROR, "")

    def discard(self) -> Generator[None, None, None]:
        """Ignore data until the peer closes the connection, then close ours."""
        while not (yield from self.reader.at_eof()):
            self.reader.discard()
        if self.debug:
            self.logger.debug("< EOF")
        if not self.eof_sent:
            self.send_eof()
        self.state = CLOSED
        yield
        raise AssertionError("discard() shouldn't step after EOF")

    def recv_frame(self, frame: Frame) -> None:
        """Process a frame: track messages, answer pings and close frames."""
        if frame.opcode is OP_TEXT or frame.opcode is OP_BINARY:
            if self.cur_size is not None:
                raise ProtocolError("expected a continuation frame")
            self.cur_size = 0
            self.cur_fragments = 0
            self.cur_decoder = (
                codecs.getincrementaldecoder("utf-8")() if frame.opcode is OP_TEXT else None
            )
            self._receive_fragment(frame)
        elif frame.opcode is OP_CONT:
            if self.cur_size is None:
                raise ProtocolError("unexpected continuation frame")
            self._receive_fragment(frame)
        elif frame.opcode is OP_PING:
            # Once we sent a close frame, the peer doesn't expect anything but ours.
            if self._state is OPEN:
                self.send_frame(Frame(OP_PONG, frame.data))
        elif frame.opcode is OP_CLOSE:
            # The payload is checked first: an invalid one is the error to report.
            self.close_rcvd = Close.parse(frame.data)
            if self._state is CLOSING:
                self.close_rcvd_then_sent = False
            if self.cur_size is not None:
                # RFC 6455 5.4: control frames may interleave with fragments, but a
                # message left unfinished by the closing handshake is a protocol error.
                if self._state is OPEN:
                    # Failing sends our close frame after the peer's.
                    self.close_rcvd_then_sent = True
                raise ProtocolError("incomplete fragmented message")
            if self._state is OPEN:
                # RFC 6455 5.5.1: echo the close code.
                self.send_frame(Frame(OP_CLOSE, frame.data))
                self.close_sent = self.close_rcvd
                self.close_rcvd_then_sent = True
                self.state = CLOSING
            # RFC 6455 7.1.1: the server closes the TCP connection once the closing
            # handshake is done; the client waits for that.
            if self.side is SERVER and not self.eof_sent:
                self.send_eof()
            self.events.append(frame)
            self.parser = self.discard()
            next(self.parser)
            return
        # Pongs need no processing.
        self.events.append(frame)

    def _receive_fragment(self, frame: Frame) -> None:
        assert self.cur_size is not None
        self.cur_fragments += 1
        if self.cur_fragments > MAX_FRAGMENTS:
            raise TooManyFragments(MAX_FRAGMENTS)
        size = len(frame.data)
        if self.max_fragment_size is not None and size > self.max_fragment_size:
            raise PayloadTooBig(size, self.max_fragment_size)
        if self.max_message_size is not None and self.cur_size + size > self.max_message_size:
            room = self.max_message_size - self.cur_size
            raise PayloadTooBig(size, room, self.cur_size or None)
        if self.cur_decoder is not None:
            # Raises UnicodeDecodeError as soon as the bytes so far can't be UTF-8, even
            # when a character is split across frames.
            self.cur_decoder.decode(frame.data, frame.fin)
        if frame.fin:
            self.cur_size = None
            self.cur_decoder = None
        else:
            self.cur_size += size

    def _frame_size_limit(self) -> int | None:
        """Largest payload the next frame may have, checked before buffering it."""
        fragment_limit = self.max_fragment_size
        if self.max_message_size is not None:
            limit = self.max_message_size - (self.cur_size or 0)
            if fragment_limit is not None and fragment_limit < limit:
                limit = fragment_limit
        elif fragment_limit is not None:
            limit = fragment_limit
        else:
            return None
        # The exact checks happen in recv_frame() once the opcode is known.
        return limit if limit > _CONTROL_FRAME_ALLOWANCE else _CONTROL_FRAME_ALLOWANCE

    def _message_too_big(self, exc: PayloadTooBig) -> PayloadTooBig:
        """Restate a PayloadTooBig raised while parsing a frame with the limit that applies.

        Frame.parse() got a limit raised to fit control frames; report the fragment limit
        or the message limit, whichever the frame crossed.
        """
        if self.max_message_size is not None:
            room = self.max_message_size - (self.cur_size or 0)
            if self.max_fragment_size is None or room < self.max_fragment_size:
                return PayloadTooBig(exc.size, room, self.cur_size or None)
        return PayloadTooBig(exc.size, self.max_fragment_size)

    def _fail_parser(self, exc: Exception, code: int, reason: str) -> None:
        self.parser_exc = exc
        # Close reasons must fit in a control frame: 125 bytes minus the code.
        encoded = reason.encode()
        if len(encoded) > 123:
            reason = encoded[:120].decode(errors="ignore") + "..."
        self.fail(code, reason)

    # Sending.

    def send_frame(self, frame: Frame) -> None:
        if self.debug:
            self.logger.debug("> %s", frame)
        self.writes.append(frame.serialize(mask=self.side is CLIENT, extensions=self.extensions))

    def send_eof(self) -> None:
        assert not self.eof_sent, "EOF already sent"
        self.eof_sent = True
        if self.debug:
            self.logger.debug("> EOF")
        self.writes.append(SEND_EOF)

    def _check_open(self) -> None:
        if self._state is not OPEN:
            raise InvalidState(f"connection is {self._state.name.lower()}")

    def _check_open_or_closing(self) -> None:
        if self._state is not OPEN and self._state is not CLOSING:
            raise InvalidState(f"connection is {self._state.name.lower()}")
