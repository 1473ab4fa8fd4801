"""WebSocket connection for the threading implementation.

A :class:`Connection` drives a Sans-I/O :class:`~..protocol.Protocol` over a blocking
socket. One background thread per connection reads from the socket and feeds the
protocol; the application's threads send, holding :attr:`Connection.protocol_mutex`
while they touch the protocol or write to the socket.

"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
import weakref
from collections.abc import Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any, NoReturn

from ..asyncio.framing import FIN_BINARY, FIN_TEXT, build_header
from ..exceptions import ConcurrencyError, ConnectionClosed, ConnectionClosedOK
from ..frames import OP_BINARY, OP_CONT, OP_PONG, OP_TEXT, CloseCode, Frame
from ..http11 import Request, Response
from ..protocol import CLOSED, OPEN, SEND_EOF, Event, Protocol, Side, State
from ..typing import BytesLike, Data, DataLike, LoggerLike, Subprotocol
from .messages import Assembler

__all__ = ["Connection"]

BYTES_TYPES = (bytes, bytearray, memoryview)


class Connection:
    """Threading implementation of a WebSocket connection, shared by clients and servers.

    It provides :meth:`recv`, :meth:`recv_streaming`, :meth:`send`, :meth:`close`,
    :meth:`ping` and :meth:`pong`, iteration over incoming messages and use as a
    context manager.

    """

    recv_bufsize = 65536

    def __init__(
        self,
        socket: socket.socket,
        protocol: Protocol,
        *,
        ping_interval: float | None = 20,
        ping_timeout: float | None = 20,
        close_timeout: float | None = 10,
        max_queue: int | tuple[int | None, int | None] | None = 16,
    ) -> None:
        self.socket = socket
        self.protocol = protocol
        self.ping_interval = ping_interval
        self.ping_timeout = ping_timeout
        self.close_timeout = close_timeout
        if isinstance(max_queue, int) or max_queue is None:
            max_queue = (max_queue, None)

        self.id: uuid.UUID = protocol.id
        self.logger: LoggerLike = logging.LoggerAdapter(
            protocol.logger, {"websocket": weakref.proxy(self)}
        )
        protocol.logger = self.logger
        self.debug = protocol.debug

        self.request: Request | None = None
        self.response: Response | None = None

        # Held while touching the protocol or writing to the socket.
        self.protocol_mutex = threading.Lock()
        # Held by the reading thread's side while reading is paused (see Assembler).
        self.recv_flow_control = threading.Lock()
        self.recv_messages = Assembler(
            *max_queue,
            pause=self.recv_flow_control.acquire,
            resume=self.recv_flow_control.release,
        )

        self.latency: float = 0.0
        # Ping payload -> (event set on pong, time sent, whether closing sets the event).
        self.pending_pings: dict[bytes, tuple[threading.Event, float, bool]] = {}
        # Set while a fragmented message is being sent.
        self.send_in_progress = False
        # Exception that ended reading, chained to ConnectionClosed.
        self.recv_exc: BaseException | None = None
        # Data frames received but not queued yet: the reading thread queues them once it
        # released protocol_mutex, so that senders don't wait while readers wake up.
        self.received_frames: list[Frame] = []
        # Set when the peer's handshake request or response arrives, when it can't be
        # parsed, or when the connection ends first: the opening handshake waits on it.
        self.handshake_rcvd = threading.Event()
        # Whole data frames skip the Sans-I/O protocol once open; see opened().
        self.fast_path = False
        self.is_client = protocol.side is Side.CLIENT

        self.recv_events_thread = threading.Thread(
            target=self.recv_events, name=f"websocket-reader-{self.id}", daemon=True
        )
        self.recv_events_thread.start()
        self.keepalive_thread: threading.Thread | None = None

    # Public API

    @property
    def local_address(self) -> Any:
        """Local address of the connection, as :meth:`socket.socket.getsockname` returns it."""
        return self.socket.getsockname()

    @property
    def remote_address(self) -> Any:
        """Remote address of the connection, as :meth:`socket.socket.getpeername` returns it."""
        return self.socket.getpeername()

    @property
    def state(self) -> State:
        """State of the connection, from the Sans-I/O protocol."""
        return self.protocol.state

    @property
    def subprotocol(self) -> Subprotocol | None:
        """Subprotocol negotiated during the opening handshake, if any."""
        return self.protocol.subprotocol

    @property
    def close_code(self) -> int | None:
        """Close code received from the peer; ``None`` until the connection is closed."""
        return self.protocol.close_code

    @property
    def close_reason(self) -> str | None:
        """Close reason received from the peer; ``None`` until the connection is closed."""
        return self.protocol.close_reason

    def __enter__(self) -> Connection:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.close(CloseCode.INTERNAL_ERROR)

    def __iter__(self) -> Iterator[Data]:
        """Yield incoming messages until the connection closes normally.

        Raises:
            ConnectionClosedError: the connection closed with an error.

        """
        try:
            while True:
                yield self.recv()
        except ConnectionClosedOK:
            return

    def recv(self, timeout: float | None = None, decode: bool | None = None) -> Data:
        """Receive the next message.

        ``decode=None`` returns text messages as :class:`str` and binary messages as
        :class:`bytes`; ``True`` or ``False`` forces one or the other.

        Raises:
            ConnectionClosed: the connection is closed and no message is left.
            TimeoutError: no message arrived within ``timeout`` seconds.
            ConcurrencyError: another thread is already receiving.

        """
        try:
            return self.recv_messages.get(timeout, decode)
        except EOFError:
            pass
        except ConcurrencyError:
            raise ConcurrencyError(
                "cannot call recv while another thread is already running recv or recv_streaming"
            ) from None
        except UnicodeDecodeError as exc:
            self._fail_on_invalid_utf8(exc)
        self._raise_closed()

    def recv_streaming(self, decode: bool | None = None) -> Iterator[Data]:
        """Receive the next message fragment by fragment, as each frame arrives.

        Raises:
            ConnectionClosed: the connection is closed.
            ConcurrencyError: another thread is already receiving.

        """
        try:
            yield from self.recv_messages.get_iter(decode)
            return
        except EOFError:
            pass
        except ConcurrencyError:
            raise ConcurrencyError(
                "cannot call recv_streaming while another thread is already running recv "
                "or recv_streaming"
            ) from None
        except UnicodeDecodeError as exc:
            self._fail_on_invalid_utf8(exc)
        self._raise_closed()

    def send(self, message: DataLike | Iterable[DataLike], text: bool | None = None) -> None:
        """Send a message: text for :class:`str`, binary for bytes-like objects.

        ``text=True`` sends bytes as a text frame, ``text=False`` a str as binary. An
        iterable of str or of bytes-like objects is sent as a fragmented message.

        Raises:
            ConnectionClosed: the connection is closed.
            ConcurrencyError: another thread is sending a fragmented message.
            TypeError: the message has an unsupported type.

        """
        if isinstance(message, str):
            self._send_message(message.encode(), text is not False)
        elif isinstance(message, BYTES_TYPES):
            self._send_message(message, bool(text))
        elif isinstance(message, Mapping):
            raise TypeError("data is a dict-like object")
        elif isinstance(message, Iterable):
            self._send_fragments(iter(message), text)
        else:
            raise TypeError("data must be str, bytes, or iterable")

    def close(self, code: int = CloseCode.NORMAL_CLOSURE, reason: str = "") -> None:
        """Perform the closing handshake, waiting up to ``close_timeout`` for it.

        Closing a connection that is already closed does nothing; this never raises
        :exc:`ConnectionClosed`.

        """
        try:
            with self.send_context():
                if self.send_in_progress:
                    self.protocol.fail(CloseCode.INTERNAL_ERROR, "close during fragmented message")
                else:
                    self.protocol.send_close(code, reason)
        except ConnectionClosed:
            pass

    def wait_closed(self, timeout: float | None = None) -> bool:
        """Wait until the connection is closed; return whether it is."""
        self.recv_events_thread.join(timeout)
        return not self.recv_events_thread.is_alive()

    def ping(self, data: DataLike | None = None, ack_on_close: bool = False) -> threading.Event:
        """Send a ping; return an event set when the matching pong arrives.

        A pong also acknowledges earlier pings. With ``ack_on_close=True``, the event
        is set as well when the connection closes first.

        Raises:
            ConnectionClosed: the connection is closed.
            ConcurrencyError: a ping with the same data is waiting for its pong.
            TypeError: ``data`` isn't str or bytes-like.

        """
        if isinstance(data, str):
            payload = data.encode()
        elif isinstance(data, BYTES_TYPES):
            payload = bytes(data)
        elif data is None:
            payload = b""
        else:
            raise TypeError("data must be str or bytes-like")
        with self.send_context():
            if data is None:
                payload = os.urandom(4)
                while payload in self.pending_pings:
                    payload = os.urandom(4)
            elif payload in self.pending_pings:
                raise ConcurrencyError("already waiting for a pong with the same data")
            pong_waiter = threading.Event()
            self.pending_pings[payload] = (pong_waiter, time.monotonic(), ack_on_close)
            self.protocol.send_ping(payload)
        return pong_waiter

    def pong(self, data: DataLike = b"") -> None:
        """Send a pong.

        Raises:
            ConnectionClosed: the connection is closed.
            TypeError: ``data`` isn't str or bytes-like.

        """
        if isinstance(data, str):
            payload: BytesLike = data.encode()
        elif isinstance(data, BYTES_TYPES):
            payload = data
        else:
            raise TypeError("data must be str or bytes-like")
        with self.send_context():
            self.protocol.send_pong(payload)

    # Sending

    @contextlib.contextmanager
    def send_context(self, *, expected_state: State = OPEN) -> Iterator[None]:
        """Hold the protocol while the body acts on it, then write what it produced.

        When the body made the connection close, wait up to ``close_timeout`` for the
        reading thread to see the end, then close the socket. When the connection
        wasn't in ``expected_state``, raise :exc:`ConnectionClosed` once it is closed.

        """
        wait_for_close = False
        raise_close_exc = False
        write_exc: BaseException | None = None
        with self.protocol_mutex:
            if self.protocol.state is expected_state:
                yield
                try:
                    self.send_data()
                except Exception as exc:
                    if self.debug:
                        self.logger.debug("! error while sending data", exc_info=True)
                    write_exc = exc
                    raise_close_exc = True
                else:
                    wait_for_close = self.protocol.close_expected()
            else:
                raise_close_exc = True
                wait_for_close = True
        if write_exc is not None:
            # The socket is unusable: stop reading too, so the connection closes now.
            self.close_socket()
            self._join_reader(None)
        elif wait_for_close and not self._join_reader(self.close_timeout):
            self.close_socket()
            self._join_reader(None)
        if raise_close_exc:
            self._raise_closed(write_exc)

    def send_data(self) -> None:
        """Write what the protocol has to send; the caller holds :attr:`protocol_mutex`."""
        for data in self.protocol.data_to_send():
            if data == SEND_EOF:
                try:
                    self.socket.shutdown(socket.SHUT_WR)
                except OSError:  # already disconnected
                    pass
            else:
                self.socket.sendall(data)

    def _send_message(self, data: BytesLike, is_text: bool) -> None:
        with self.send_context():
            self._check_no_fragmented_send()
            if self.fast_path:
                # A whole frame needs nothing from the protocol but its bytes: queue them
                # where send_data() finds them, so errors are handled in one place.
                header, payload = build_header(
                    FIN_TEXT if is_text else FIN_BINARY, data, self.is_client
                )
                self.protocol.writes.append(header + payload)
            elif is_text:
                self.protocol.send_text(data)
            else:
                self.protocol.send_binary(data)

    def _check_no_fragmented_send(self) -> None:
        if self.send_in_progress:
            raise ConcurrencyError("cannot call send while another thread is already running send")

    def _send_fragments(self, chunks: Iterator[Any], text: bool | None) -> None:
        try:
            first = next(chunks)
        except StopIteration:
            return
        if isinstance(first, str):
            kind: type | tuple[type, ...] = str
            is_text = text is not False
        elif isinstance(first, BYTES_TYPES):
            kind = BYTES_TYPES
            is_text = bool(text)
        else:
            raise TypeError("iterable must contain bytes or str")

        def encode(chunk: Any) -> BytesLike:
            if not isinstance(chunk, kind):
                raise TypeError("iterable must contain uniform types")
            return chunk.encode() if isinstance(chunk, str) else chunk

        with self.send_context():
            self._check_no_fragmented_send()
            self.send_in_progress = True
            if is_text:
                self.protocol.send_text(encode(first), fin=False)
            else:
                self.protocol.send_binary(encode(first), fin=False)
        try:
            for chunk in chunks:
                data = encode(chunk)
                with self.send_context():
                    self.protocol.send_continuation(data, fin=False)
            with self.send_context():
                self.protocol.send_continuation(b"", fin=True)
                self.send_in_progress = False
        except ConnectionClosed:
            raise
        except Exception:
            with contextlib.suppress(ConnectionClosed), self.send_context():
                self.protocol.fail(CloseCode.INTERNAL_ERROR, "error in fragmented message")
            raise
        finally:
            self.send_in_progress = False

    # Receiving

    def recv_events(self) -> None:
        """Read from the socket and feed the protocol until the connection ends.

        Runs in :attr:`recv_events_thread`.

        """
        try:
            while self._read_once():
                pass
            with self.protocol_mutex:
                self.protocol.receive_eof()
                self._process_received()
            self._queue_received_frames()
        except Exception as exc:
            self.logger.error("unexpected internal error", exc_info=True)
            with self.protocol_mutex:
                self._set_recv_exc(exc)
        finally:
            self.close_socket()
            with self.protocol_mutex:
                if self.protocol.state is not CLOSED:
                    # Reading ended without a proper close, e.g. after an internal error.
                    self.protocol.state = CLOSED
                self._abort_pings()
            self._queue_received_frames()
            self.recv_messages.close()
            self.handshake_rcvd.set()

    def _read_once(self) -> bool:
        """Read and process one chunk of data; return whether to keep reading."""
        try:
            # Blocks while reading is paused by the message queue.
            with self.recv_flow_control:
                pass
            if self.protocol.close_expected() and self.close_timeout is not None:
                # The peer should close the TCP connection soon; don't wait forever.
                self.socket.settimeout(self.close_timeout)
            data = self.socket.recv(self.recv_bufsize)
        except Exception as exc:
            if self.debug:
                self.logger.debug("! error while receiving data", exc_info=True)
            with self.protocol_mutex:
                self._set_recv_exc(exc)
            return False
        if not data:
            return False
        with self.protocol_mutex:
            self.protocol.receive_data(data)
            keep_reading = self._process_received()
        self._queue_received_frames()
        return keep_reading

    def _queue_received_frames(self) -> None:
        """Hand the data frames received so far to the message queue.

        Called by the reading thread without holding :attr:`protocol_mutex`; it's the only
        thread that touches :attr:`received_frames`. Frames keep their order.

        """
        frames, self.received_frames = self.received_frames, []
        try:
            for frame in frames:
                self.recv_messages.put(frame)
        except EOFError:  # the queue was closed: nobody will read these
            pass

    def _process_received(self) -> bool:
        """Handle events and answers the protocol produced; the caller holds the mutex."""
        events = self.protocol.events_received()
        try:
            self.send_data()
        except Exception as exc:
            if self.debug:
                self.logger.debug("! error while sending data", exc_info=True)
            self._set_recv_exc(exc)
            return False
        for event in events:
            self.process_event(event)
        # An unparsable handshake message produces no event, only handshake_exc.
        if self.protocol.handshake_exc is not None:
            self.handshake_rcvd.set()
        return True

    def process_event(self, event: Event) -> None:
        """Handle one event from the protocol; subclasses handle handshake events."""
        assert isinstance(event, Frame)
        if event.opcode in (OP_TEXT, OP_BINARY, OP_CONT):
            self.received_frames.append(event)
        elif event.opcode is OP_PONG:
            self._acknowledge_pings(bytes(event.data))

    def close_socket(self) -> None:
        """Shut the socket down, waking the reading thread, and close it."""
        with contextlib.suppress(OSError):
            self.socket.shutdown(socket.SHUT_RDWR)
        self.socket.close()

    def opened(self) -> None:
        """Finish opening, once the handshake succeeded: fast paths, then keepalive."""
        # Extensions transform frames and debug logs describe each frame: both need the
        # Sans-I/O protocol for every frame.
        self.fast_path = not self.protocol.extensions and not self.protocol.debug
        self.start_keepalive()

    def start_keepalive(self) -> None:
        """Start sending keepalive pings, if ``ping_interval`` is set."""
        if self.ping_interval is None:
            return
        self.keepalive_thread = threading.Thread(
            target=self.keepalive, name=f"websocket-keepalive-{self.id}", daemon=True
        )
        self.keepalive_thread.start()

    def keepalive(self) -> None:
        """Send a ping every ``ping_interval`` seconds; fail with 1011 if no pong comes."""
        assert self.ping_interval is not None
        try:
            while True:
                # Waiting on the reading thread ends the wait as soon as the connection closes.
                self.recv_events_thread.join(max(self.ping_interval - self.latency, 0))
                if not self.recv_events_thread.is_alive():
                    return
                try:
                    pong_waiter = self.ping(ack_on_close=True)
                except ConnectionClosed:
                    return
                if self.debug:
                    self.logger.debug("% sent keepalive ping")
                if self.ping_timeout is not None and not pong_waiter.wait(self.ping_timeout):
                    if self.debug:
                        self.logger.debug("- timed out waiting for keepalive pong")
                    with contextlib.suppress(ConnectionClosed), self.send_context():
                        self.protocol.fail(CloseCode.INTERNAL_ERROR, "keepalive ping timeout")
                    return
        except Exception:
            self.logger.error("keepalive ping failed", exc_info=True)

    # Helpers

    def _join_reader(self, timeout: float | None) -> bool:
        if threading.current_thread() is self.recv_events_thread:
            return False
        self.recv_events_thread.join(timeout)
        return not self.recv_events_thread.is_alive()

    def _raise_closed(self, cause: BaseException | None = None) -> NoReturn:
        self._join_reader(None)
        exc = self.protocol.close_exc
        raise exc from (cause if cause is not None else self.recv_exc)

    def _fail_on_invalid_utf8(self, exc: UnicodeDecodeError) -> None:
        with contextlib.suppress(ConnectionClosed), self.send_context():
            self.protocol.fail(CloseCode.INVALID_DATA, f"{exc.reason} at position {exc.start}")

    def _set_recv_exc(self, exc: BaseException) -> None:
        """Remember why reading ended; the caller holds the mutex."""
        if self.recv_exc is None:
            self.recv_exc = exc

    def _acknowledge_pings(self, data: bytes) -> None:
        """Set the events of the ping with this data and of every earlier one."""
        if data not in self.pending_pings:
            return
        now = time.monotonic()
        for ping_data in list(self.pending_pings):
            waiter, sent_at, _ = self.pending_pings.pop(ping_data)
            waiter.set()
            if ping_data == data:
                self.latency = now - sent_at
                break

    def _abort_pings(self) -> None:
        for waiter, _, ack_on_close in self.pending_pings.values():
            if ack_on_close:
                waiter.set()
        self.pending_pings.clear()
