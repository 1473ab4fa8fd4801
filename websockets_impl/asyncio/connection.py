"""WebSocket connection for asyncio: an :class:`asyncio.Protocol` driving a Sans-I/O protocol.

Incoming bytes go straight from :meth:`Connection.data_received` to the Sans-I/O parser and
complete frames land in an :class:`~.messages.Assembler`; nothing runs in a background task.
Keepalive and timeouts are loop timers, so an idle connection costs no task of its own.

"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import struct
import uuid
import weakref
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Iterable, Mapping
from types import TracebackType
from typing import Any, Literal, overload

from ..exceptions import (
    ConcurrencyError,
    ConnectionClosed,
    ConnectionClosedOK,
    PayloadTooBig,
    ProtocolError,
)
from ..extensions.permessage_deflate import PerMessageDeflate
from ..frames import CloseCode, Frame, Opcode
from ..http11 import Request, Response
from ..protocol import Event, Protocol, Side, State
from ..typing import BytesLike, Data, DataLike, LoggerLike, Subprotocol

# Upstream defines broadcast() in this module; it lives in its own module here.
from .broadcast import broadcast
from .framing import (
    BYTES_TYPES,
    DEFLATED,
    FIN_BINARY,
    FIN_TEXT,
    LargeFrame,
    build_header,
    parse_data_frames,
    start_large_frame,
)
from .messages import Assembler

__all__ = ["Connection", "broadcast"]

OPEN = State.OPEN
# Opcodes of data frames are 0, 1 and 2; control frames have higher values.
MAX_DATA_OPCODE = Opcode.BINARY

# Errors of a compressed frame on the fast path, which fail the connection as the
# Sans-I/O parser would.
FAST_PATH_ERRORS = (ProtocolError, PayloadTooBig, UnicodeDecodeError)

# Below this limit, the Sans-I/O parser raises the limit to fit control frames, which
# changes which error an oversized inflated message gets: leave those to it.
MIN_FAST_INFLATE_LIMIT = 125


# Small frames sent while received messages wait to be processed are batched into one
# write per loop iteration, up to this many bytes: an echo or request/response handler
# working through a backlog makes one system call instead of one per message.
BATCH_LIMIT = 16384

# Pings answered while the write buffer is above the high-water mark, i.e. while the
# peer doesn't read; past this, the peer is flooding and gets disconnected.
MAX_PINGS_WHILE_PAUSED = 64

# A coroutine sending in a loop to a peer that reads as fast as it writes never waits for
# the write buffer: send() yields to the event loop after this many sends in a row, so
# that other connections, timers and connection_lost() callbacks still run.
SENDS_BETWEEN_YIELDS = 64

CONCURRENT_RECV = (
    "cannot call recv while another coroutine is already running recv or recv_streaming"
)
CONCURRENT_RECV_STREAMING = (
    "cannot call recv_streaming while another coroutine is already running recv or recv_streaming"
)
CANCELLED_RECV_STREAMING = (
    "a cancelled recv_streaming left a message partly read; the rest of it was discarded"
)


class Connection(asyncio.Protocol):
    """asyncio implementation of a WebSocket connection, shared by clients and servers.

    It provides :meth:`recv`, :meth:`send`, :meth:`close`, :meth:`ping` and
    :meth:`pong`, async iteration over incoming messages and use as an async
    context manager. See :class:`~.client.ClientConnection` and
    :class:`~.server.ServerConnection`.

    """

    # State that keeps its default on an idle connection lives in class attributes until
    # it changes: with at most 30 instance attributes, CPython shares the attribute names
    # between instances instead of giving each one a dict of its own (about 1.3 KiB).
    close_timer: asyncio.TimerHandle | None = None
    paused_writing: bool = False
    pings_while_paused: int = 0
    drain_waiter: asyncio.Future[None] | None = None
    # Set while a fragmented message is being sent; other sends wait for it.
    fragmented_send_waiter: asyncio.Future[None] | None = None
    eof_rcvd: bool = False
    # A large whole data frame being received over several reads, on the fast path.
    large_frame: LargeFrame | None = None
    # Set when recv_streaming() was cancelled in the middle of a message.
    recv_streaming_cancelled: bool = False
    # Set after an unexpected exception on the receive path: nothing is parsed anymore.
    receive_failed: bool = False
    # Exception that caused the connection to close, chained to ConnectionClosed.
    recv_exc: BaseException | None = None
    # permessage-deflate, when it's the only extension, on the fast path.
    deflate: PerMessageDeflate | None = None

    def __init__(
        self,
        protocol: Protocol,
        *,
        ping_interval: float | None = 20,
        ping_timeout: float | None = 20,
        close_timeout: float | None = 10,
        max_queue: int | tuple[int | None, int | None] | None = 16,
        write_limit: int | tuple[int, int | None] = 2**15,
    ) -> None:
        self.protocol = protocol
        self.ping_interval = ping_interval
        self.ping_timeout = ping_timeout
        self.close_timeout = close_timeout
        if isinstance(max_queue, int) or max_queue is None:
            max_queue = (max_queue, None)
        if isinstance(write_limit, int):
            write_limit = (write_limit, None)
        self.write_limit = write_limit

        self.id: uuid.UUID = protocol.id
        # Log records carry the connection, as with upstream, e.g. for a formatter showing
        # websocket.id; a proxy so that logging doesn't keep connections alive.
        self.logger: LoggerLike = logging.LoggerAdapter(
            protocol.logger, {"websocket": weakref.proxy(self)}
        )
        protocol.logger = self.logger
        self.debug = protocol.debug

        self.request: Request | None = None
        self.response: Response | None = None

        self.loop = asyncio.get_running_loop()
        self.recv_messages = Assembler(
            *max_queue, pause=self._pause_reading, resume=self._resume_reading
        )

        self.latency: float = 0.0
        # Ping payload -> (pong waiter, time the ping was sent); insertion order is send order.
        self.pending_pings: dict[bytes, tuple[asyncio.Future[float], float]] = {}
        self.keepalive_timer: asyncio.TimerHandle | None = None

        self.transport: asyncio.Transport
        # Fast paths for whole data frames; enabled by opened() when the connection allows.
        self.fast_path = False
        self.pending_writes: list[BytesLike] = []
        self.pending_size = 0
        self.flush_scheduled = False
        self.sends_since_yield = 0
        self.is_client = protocol.side is Side.CLIENT
        self.max_frame_size = _max_frame_size(protocol)
        self.connection_lost_waiter: asyncio.Future[None] = self.loop.create_future()

    # Public API

    @property
    def local_address(self) -> Any:
        """Local address of the connection, as returned by :meth:`socket.socket.getsockname`."""
        return self.transport.get_extra_info("sockname")

    @property
    def remote_address(self) -> Any:
        """Remote address of the connection, as returned by :meth:`socket.socket.getpeername`."""
        return self.transport.get_extra_info("peername")

    @property
    def state(self) -> State:
        """State of the WebSocket connection, as defined in :rfc:`6455`."""
        return self.protocol.state

    @property
    def subprotocol(self) -> Subprotocol | None:
        """Subprotocol negotiated during the opening handshake, if any."""
        return self.protocol.subprotocol

    @property
    def close_code(self) -> int | None:
        """Code in the close frame received, once the connection is closed."""
        return self.protocol.close_code

    @property
    def close_reason(self) -> str | None:
        """Reason in the close frame received, once the connection is closed."""
        return self.protocol.close_reason

    @property
    def close_exc(self) -> ConnectionClosed:
        """Exception raised when using the connection after it's closed."""
        exc = self.protocol.close_exc
        if self.recv_exc is not None:
            exc.__cause__ = self.recv_exc
        return exc

    async def __aenter__(self) -> Connection:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            await self.close()
        else:
            await self.close(CloseCode.INTERNAL_ERROR)

    async def __aiter__(self) -> AsyncIterator[Data]:
        """Iterate on incoming messages until the connection closes.

        The iteration stops when the connection closes normally and raises
        :exc:`~websockets_impl.exceptions.ConnectionClosedError` otherwise.

        """
        # Same as calling recv() in a loop, minus one coroutine per message.
        get = self.recv_messages.get
        while True:
            try:
                message = await get()
            except EOFError:
                break
            yield message
        await asyncio.shield(self.connection_lost_waiter)
        exc = self.close_exc
        if not isinstance(exc, ConnectionClosedOK):
            raise exc

    @overload
    async def recv(self, decode: Literal[True]) -> str: ...

    @overload
    async def recv(self, decode: Literal[False]) -> bytes: ...

    @overload
    async def recv(self, decode: bool | None = None) -> Data: ...

    async def recv(self, decode: bool | None = None) -> Data:
        """Receive the next message.

        Return a :class:`str` for a text message and :class:`bytes` for a binary
        message; ``decode=True`` or ``False`` forces one or the other. Messages
        received before the connection closed can still be read afterwards.

        Raises:
            ConnectionClosed: the connection is closed.
            ConcurrencyError: two coroutines call :meth:`recv` or
                :meth:`recv_streaming` concurrently.

        """
        if self.recv_streaming_cancelled:
            self.recv_streaming_cancelled = False
            raise ConcurrencyError(CANCELLED_RECV_STREAMING)
        try:
            return await self.recv_messages.get(decode)
        except EOFError:
            pass
        except ConcurrencyError:
            raise ConcurrencyError(CONCURRENT_RECV) from None
        await asyncio.shield(self.connection_lost_waiter)
        raise self.close_exc

    @overload
    def recv_streaming(self, decode: Literal[True]) -> AsyncIterator[str]: ...

    @overload
    def recv_streaming(self, decode: Literal[False]) -> AsyncIterator[bytes]: ...

    @overload
    def recv_streaming(self, decode: bool | None = None) -> AsyncIterator[Data]: ...

    async def recv_streaming(self, decode: bool | None = None) -> AsyncIterator[Data]:
        """Receive the next message frame by frame.

        Stopping the iteration before the end discards the rest of the message.
        If the read is cancelled in the middle of a message, the rest of it is
        discarded too and the next :meth:`recv` or :meth:`recv_streaming` raises
        :exc:`~websockets_impl.exceptions.ConcurrencyError` to say so.

        Raises:
            ConnectionClosed: the connection is closed.
            ConcurrencyError: two coroutines call :meth:`recv` or
                :meth:`recv_streaming` concurrently, or the previous streaming
                read was cancelled in the middle of a message.

        """
        if self.recv_streaming_cancelled:
            self.recv_streaming_cancelled = False
            raise ConcurrencyError(CANCELLED_RECV_STREAMING)
        started = False
        try:
            # Closing the assembler's iterator when this one closes ends the read and
            # discards the rest of the message at once, not when it's collected.
            async with contextlib.aclosing(self.recv_messages.get_iter(decode)) as fragments:
                async for fragment in fragments:
                    started = True
                    yield fragment
            return
        except EOFError:
            pass
        except ConcurrencyError:
            raise ConcurrencyError(CONCURRENT_RECV_STREAMING) from None
        except asyncio.CancelledError:
            # Cancelled while waiting for the next fragment: the message can't be resumed.
            self.recv_streaming_cancelled = started
            raise
        await asyncio.shield(self.connection_lost_waiter)
        raise self.close_exc

    async def send(
        self,
        message: DataLike | Iterable[DataLike] | AsyncIterable[DataLike],
        *,
        text: bool | None = None,
    ) -> None:
        """Send a message.

        A :class:`str` is sent as a text frame and a bytes-like object as a
        binary frame; ``text=True`` or ``False`` overrides the opcode. An
        iterable or async iterable of those is sent as a fragmented message.
        Waits while the write buffer is above the high-water mark.

        Raises:
            ConnectionClosed: the connection is closed.
            TypeError: the message doesn't have a supported type.

        """
        if isinstance(message, str):
            if self.fragmented_send_waiter is not None:
                await self._wait_fragmented_send()
            if self.protocol.state is not OPEN or self.transport.is_closing():
                await self._raise_closed()
            if self.fast_path:
                self.write_frame(FIN_BINARY if text is False else FIN_TEXT, message.encode())
            else:
                await self._send_frame(text is not False, message.encode())
        elif isinstance(message, BYTES_TYPES):
            if self.fragmented_send_waiter is not None:
                await self._wait_fragmented_send()
            if self.protocol.state is not OPEN or self.transport.is_closing():
                await self._raise_closed()
            if self.fast_path:
                self.write_frame(FIN_TEXT if text else FIN_BINARY, message)
            else:
                await self._send_frame(bool(text), message)
        elif isinstance(message, Mapping):
            raise TypeError("data is a dict-like object")
        elif isinstance(message, Iterable):
            await self._send_fragments(message, text)
        elif isinstance(message, AsyncIterable):
            await self._send_async_fragments(message, text)
        else:
            raise TypeError("data must be str, bytes, iterable, or async iterable")
        self.sends_since_yield += 1
        if (
            self.paused_writing
            or self.sends_since_yield >= SENDS_BETWEEN_YIELDS
            or self.transport.is_closing()
        ):
            await self._after_send()

    async def close(self, code: int = CloseCode.NORMAL_CLOSURE, reason: str = "") -> None:
        """Perform the closing handshake and wait until the TCP connection is closed.

        After ``close_timeout`` seconds without a response, the TCP connection
        is aborted. Closing an already closed connection does nothing.

        """
        protocol = self.protocol
        if protocol.state is OPEN:
            if self.fragmented_send_waiter is not None:
                protocol.fail(CloseCode.INTERNAL_ERROR, "close during fragmented message")
            else:
                protocol.send_close(code, reason)
            self.send_data()
            self._check_close_expected()
        # A paused reader would keep the peer's close frame from being read.
        self.recv_messages.disable_flow_control()
        await asyncio.shield(self.connection_lost_waiter)

    async def wait_closed(self) -> None:
        """Wait until the connection is closed."""
        await asyncio.shield(self.connection_lost_waiter)

    async def ping(self, data: DataLike | None = None) -> Awaitable[float]:
        """Send a ping and return an awaitable that resolves to the latency in seconds.

        When ``data`` is ``None``, a random 4-byte payload is sent.

        Raises:
            ConnectionClosed: the connection is closed.
            ConcurrencyError: a ping with the same payload awaits its pong.

        """
        if isinstance(data, str):
            data = data.encode()
        elif isinstance(data, BYTES_TYPES):
            data = bytes(data)
        elif data is not None:
            raise TypeError("data must be str or bytes-like")
        if data is not None and data in self.pending_pings:
            raise ConcurrencyError("already waiting for a pong with the same data")
        if self.protocol.state is not OPEN or self.transport.is_closing():
            await self._raise_closed()
        waiter = self._send_ping(data)
        if self.transport.is_closing():
            await self._raise_closed()
        return waiter

    async def pong(self, data: DataLike = b"") -> None:
        """Send a pong.

        Raises:
            ConnectionClosed: the connection is closed.

        """
        if isinstance(data, str):
            data = data.encode()
        elif not isinstance(data, BYTES_TYPES):
            raise TypeError("data must be str or bytes-like")
        if self.protocol.state is not OPEN or self.transport.is_closing():
            await self._raise_closed()
        self.protocol.send_pong(data)
        self.send_data()
        if self.transport.is_closing():
            await self._raise_closed()

    async def drain(self) -> None:
        """Wait until the write buffer is below the low-water mark.

        Raises:
            ConnectionClosed: the connection closed before the buffer drained.

        """
        while self.paused_writing:
            waiter = self.drain_waiter
            if waiter is None:
                waiter = self.drain_waiter = self.loop.create_future()
            await asyncio.shield(waiter)
        if self.connection_lost_waiter.done():
            raise self.close_exc

    # Internals shared with subclasses

    def send_data(self) -> None:
        """Write whatever the Sans-I/O protocol has to send."""
        if self.pending_writes:
            self.flush_writes()
        transport = self.transport
        try:
            for data in self.protocol.data_to_send():
                if data:
                    transport.write(data)
                elif transport.can_write_eof():
                    transport.write_eof()
                else:
                    # TLS can't half-close; nothing is sent after the end of stream anyway.
                    transport.close()
        except Exception as exc:
            self.write_failed(exc)

    def write_frame(self, first: int, data: BytesLike) -> None:
        """Write a whole text or binary frame, bypassing the Sans-I/O protocol.

        Only valid when :attr:`fast_path` is set and no fragmented message is being sent.

        """
        if self.deflate is not None:
            data = self.deflate.encode_message(data)
            first |= DEFLATED
        header, payload = build_header(first, data, self.is_client)
        size = len(payload)
        if self.recv_messages.messages and size < BATCH_LIMIT:
            self.pending_writes += (header, payload)
            self.pending_size += len(header) + size
            if self.pending_size >= BATCH_LIMIT:
                self.flush_writes()
            elif not self.flush_scheduled:
                self.flush_scheduled = True
                self.loop.call_soon(self._scheduled_flush)
            return
        if self.pending_writes:
            self.flush_writes()
        # One write, even for a large payload: a header sent on its own leaves in a
        # segment of its own (TCP_NODELAY) and costs the peer an extra wake-up, which
        # outweighs copying the payload once.
        try:
            self.transport.write(header + payload)
        except Exception as exc:
            self.write_failed(exc)

    def flush_writes(self) -> None:
        """Write the frames batched by :meth:`write_frame`."""
        pending = self.pending_writes
        if pending:
            try:
                if not self.transport.is_closing():
                    self.transport.write(b"".join(pending))
            except Exception as exc:
                self.write_failed(exc)
            pending.clear()
            self.pending_size = 0

    def write_failed(self, exc: Exception) -> None:
        """Abort the connection after the transport refused a write.

        The error becomes the cause of the :exc:`ConnectionClosed` that the next
        operation raises, once :meth:`connection_lost` ran.

        """
        if self.recv_exc is None:
            self.recv_exc = exc
        self.transport.abort()

    def _scheduled_flush(self) -> None:
        self.flush_scheduled = False
        self.flush_writes()

    def opened(self) -> None:
        """Finish opening: enable fast paths if possible and start keepalive."""
        protocol = self.protocol
        # Debug logs describe each frame and other extensions transform frames: both
        # need the Sans-I/O protocol for every frame.
        extensions = protocol.extensions
        if not extensions:
            self.fast_path = not protocol.debug
        elif (
            len(extensions) == 1
            and type(extensions[0]) is PerMessageDeflate
            and (self.max_frame_size is None or self.max_frame_size >= MIN_FAST_INFLATE_LIMIT)
        ):
            self.fast_path = not protocol.debug
            self.deflate = extensions[0]
        self.start_keepalive()

    def fail(self, code: int, reason: str = "") -> None:
        """Close the connection without a closing handshake, e.g. on a keepalive timeout."""
        if self.protocol.state is OPEN:
            self.protocol.fail(code, reason)
            self.send_data()
            self._check_close_expected()

    def check_not_open(self) -> None:
        """React to data received while the connection isn't open."""
        self._check_close_expected()

    def start_keepalive(self) -> None:
        """Send pings every ``ping_interval`` seconds once the connection is open."""
        if self.ping_interval is not None:
            self.keepalive_timer = self.loop.call_later(self.ping_interval, self._keepalive_ping)

    def process_event(self, event: Event) -> None:
        """Handle an event other than a data frame; subclasses handle handshake events."""
        if not isinstance(event, Frame):
            return
        if event.opcode is Opcode.PONG:
            self._acknowledge_pings(bytes(event.data))
        elif event.opcode is Opcode.PING and self.paused_writing:
            # Each ping queues a pong that a peer which doesn't read never takes.
            self.pings_while_paused += 1
            if self.pings_while_paused > MAX_PINGS_WHILE_PAUSED:
                self.logger.info("! peer sends pings without reading pongs")
                self.fail(CloseCode.POLICY_VIOLATION, "too many pings")

    # asyncio.Protocol callbacks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # Any object with the methods of a transport will do: a wrapper, a mock, a
        # transport of another event loop.
        self.transport = transport  # type: ignore[assignment]
        self.transport.set_write_buffer_limits(*self.write_limit)

    def data_received(self, data: bytes) -> None:
        if self.receive_failed:
            return
        try:
            self._receive(data)
        except Exception as exc:
            self.receive_error(exc)

    def _receive(self, data: bytes) -> None:
        protocol = self.protocol
        large = self.large_frame
        if large is not None:
            taken = large.feed(data)
            if not large.complete:
                return
            self.large_frame = None
            try:
                message = large.message(self.deflate, self.max_frame_size)
            except FAST_PATH_ERRORS as exc:
                self._fast_path_failed(exc)
                return
            if message is not None:
                self.recv_messages.put_message(message)
                data = data[taken:]
            else:
                # Let the Sans-I/O protocol see the frame as it came and fail the connection.
                data = large.raw() + data[taken:]
            if not data:
                return
        if (
            self.fast_path
            and protocol.state is OPEN
            and protocol.cur_size is None
            and not protocol.reader.buffer
        ):
            # The Sans-I/O parser is waiting for a new frame with nothing buffered, so
            # whole data frames can be taken here and the rest handed over unchanged.
            masked = not self.is_client
            try:
                consumed = parse_data_frames(
                    data, masked, self.max_frame_size, self.recv_messages.put_message, self.deflate
                )
            except FAST_PATH_ERRORS as exc:
                self._fast_path_failed(exc)
                return
            if consumed == len(data):
                return
            data = data[consumed:]
            large = start_large_frame(data, masked, self.max_frame_size, self.deflate)
            if large is not None:
                self.large_frame = large
                return
        protocol.receive_data(data)
        self._process_events()
        self.send_data()
        if protocol.state is not OPEN:
            self.check_not_open()

    def _fast_path_failed(self, exc: Exception) -> None:
        """Fail the connection for a compressed frame that the fast path couldn't take."""
        # What follows that frame is discarded, as the Sans-I/O parser would.
        self.protocol.parsing_failed(exc)
        self._process_events()
        self.send_data()
        self.check_not_open()

    def eof_received(self) -> None:
        self.eof_rcvd = True
        if not self.receive_failed:
            try:
                self.flush_large_frame()
                self.protocol.receive_eof()
                self._process_events()
                self.send_data()
            except Exception as exc:
                self.receive_error(exc)
        # Returning None lets the transport close itself after flushing.

    def receive_error(self, exc: Exception) -> None:
        """Fail the connection with 1011 after an unexpected exception on the receive path.

        An extension's ``decode`` or a bug may raise anything: the connection can't go on
        parsing, but it must still close, so that :meth:`recv` and :meth:`close` return.

        """
        self.logger.error("unexpected internal error", exc_info=exc)
        self.receive_failed = True
        self.large_frame = None
        if self.recv_exc is None:
            self.recv_exc = exc
        protocol = self.protocol
        try:
            if protocol.state is OPEN:
                protocol.fail(CloseCode.INTERNAL_ERROR, "unexpected internal error")
                self.send_data()
        except Exception:
            self.logger.debug("! failed to send the close frame", exc_info=True)
        if protocol.state is OPEN or protocol.state is State.CONNECTING:
            self.transport.abort()
        else:
            # Flush the close frame, but don't wait for the peer longer than close_timeout.
            self.transport.close()
            self._check_close_expected()

    def flush_large_frame(self) -> None:
        """Hand an unfinished large frame to the Sans-I/O protocol before the stream ends."""
        large, self.large_frame = self.large_frame, None
        if large is not None:
            self.protocol.receive_data(large.raw())

    def connection_lost(self, exc: Exception | None) -> None:
        # This must end with the queue closed and the waiter resolved whatever happens
        # before, or recv() and close() would wait forever.
        protocol = self.protocol
        # An error found by the parser explains the closure better than the end of stream
        # it may cause, and than the transport's error.
        parser_exc = protocol.parser_exc
        try:
            if not self.eof_rcvd and not self.receive_failed:
                # The TCP connection broke without an end of stream: let the parser see
                # one; a response delimited by the end of stream completes here.
                self.eof_rcvd = True
                self.flush_large_frame()
                protocol.receive_eof()
                self._process_events()
        except Exception as receive_exc:
            self.logger.error("unexpected internal error", exc_info=receive_exc)
            if self.recv_exc is None:
                self.recv_exc = receive_exc
        finally:
            protocol.state = State.CLOSED
            if self.recv_exc is None:
                self.recv_exc = parser_exc or exc or protocol.parser_exc
            self.recv_messages.close()
            for timer in (self.keepalive_timer, self.close_timer):
                if timer is not None:
                    timer.cancel()
            self.keepalive_timer = self.close_timer = None
            self.pending_writes.clear()
            self.paused_writing = False
            if self.drain_waiter is not None and not self.drain_waiter.done():
                self.drain_waiter.set_result(None)
            if not self.connection_lost_waiter.done():
                self.connection_lost_waiter.set_result(None)
            self._abort_pings()

    def pause_writing(self) -> None:
        self.paused_writing = True

    def resume_writing(self) -> None:
        self.paused_writing = False
        self.pings_while_paused = 0
        waiter = self.drain_waiter
        if waiter is not None:
            self.drain_waiter = None
            if not waiter.done():
                waiter.set_result(None)

    # Private helpers

    def _process_events(self) -> None:
        put = self.recv_messages.put
        for event in self.protocol.events_received():
            if type(event) is Frame and event.opcode <= MAX_DATA_OPCODE:
                put(event)
            else:
                self.process_event(event)

    def _pause_reading(self) -> None:
        self.transport.pause_reading()

    def _resume_reading(self) -> None:
        if not self.transport.is_closing():
            self.transport.resume_reading()

    async def _raise_closed(self) -> None:
        """Wait until the connection is closed, then raise the matching ConnectionClosed."""
        # Without a closing handshake in progress, nothing would ever close the connection.
        self._check_close_expected()
        if (
            self.close_timer is None
            and self.close_timeout is not None
            and self.transport.is_closing()
            and not self.connection_lost_waiter.done()
        ):
            # Closing with data the peer doesn't read: abort after close_timeout.
            self.close_timer = self.loop.call_later(self.close_timeout, self._close_timeout)
        await asyncio.shield(self.connection_lost_waiter)
        raise self.close_exc

    async def _after_send(self) -> None:
        """Notice a broken transport, wait for the write buffer, let the event loop run."""
        self.sends_since_yield = 0
        if self.transport.is_closing():
            await self._raise_closed()
        if self.paused_writing:
            await self.drain()
        else:
            await asyncio.sleep(0)

    async def _send_frame(self, is_text: bool, data: BytesLike) -> None:
        """Send a whole message through the Sans-I/O protocol."""
        try:
            if is_text:
                self.protocol.send_text(data)
            else:
                self.protocol.send_binary(data)
        except (ProtocolError, ConcurrencyError):
            raise
        except Exception as exc:
            await self._unexpected_error(exc)
        self.send_data()

    async def _unexpected_error(self, exc: Exception) -> None:
        """Abort after an unexpected exception in a send, then raise ConnectionClosed."""
        self.logger.error("unexpected internal error", exc_info=exc)
        if self.recv_exc is None:
            self.recv_exc = exc
        self.transport.abort()
        await asyncio.shield(self.connection_lost_waiter)
        raise self.close_exc from exc

    def _check_close_expected(self) -> None:
        if (
            self.close_timer is None
            and self.close_timeout is not None
            and not self.connection_lost_waiter.done()
            and self.protocol.close_expected()
        ):
            self.close_timer = self.loop.call_later(self.close_timeout, self._close_timeout)

    def _close_timeout(self) -> None:
        self.close_timer = None
        if self.debug:
            self.logger.debug("! timed out waiting for TCP close")
        if self.recv_exc is None:
            self.recv_exc = TimeoutError("timed out while closing connection")
        self.transport.abort()

    async def _wait_fragmented_send(self) -> None:
        while self.fragmented_send_waiter is not None:
            await asyncio.shield(self.fragmented_send_waiter)

    async def _send_fragments(self, chunks: Iterable[DataLike], text: bool | None) -> None:
        iterator = iter(chunks)
        try:
            first = next(iterator)
        except StopIteration:
            return
        async with self._fragmented_send(first, text) as encode:
            for chunk in iterator:
                await self._send_continuation(encode(chunk))

    async def _send_async_fragments(
        self, chunks: AsyncIterable[DataLike], text: bool | None
    ) -> None:
        iterator = aiter(chunks)
        try:
            first = await anext(iterator)
        except StopAsyncIteration:
            return
        async with self._fragmented_send(first, text) as encode:
            async for chunk in iterator:
                await self._send_continuation(encode(chunk))

    @contextlib.asynccontextmanager
    async def _fragmented_send(self, first: DataLike, text: bool | None) -> AsyncIterator[Any]:
        """Send ``first`` as the first fragment; the body sends the others, encoded with
        the function this yields. Send the final frame on exit; fail the connection on error.
        """
        is_text, encode = _fragment_kind(first, text)
        await self._wait_fragmented_send()
        if self.protocol.state is not OPEN:
            await self._raise_closed()
        self.fragmented_send_waiter = self.loop.create_future()
        try:
            if is_text:
                self.protocol.send_text(encode(first), fin=False)
            else:
                self.protocol.send_binary(encode(first), fin=False)
            self.send_data()
            # Each fragment waits for the write buffer, the first one included.
            if self.paused_writing or self.transport.is_closing():
                await self._after_send()
            yield encode
            await self._send_continuation(b"", fin=True)
        except BaseException as exc:
            self._abort_fragmented_send(exc)
            raise
        finally:
            self._end_fragmented_send()

    async def _send_continuation(self, data: BytesLike, fin: bool = False) -> None:
        if self.protocol.state is not OPEN:
            await self._raise_closed()
        self.protocol.send_continuation(data, fin=fin)
        self.send_data()
        if self.paused_writing or self.transport.is_closing():
            await self._after_send()

    def _abort_fragmented_send(self, exc: BaseException) -> None:
        # The peer can't tell a half-sent message from a whole one: fail the connection.
        if not isinstance(exc, ConnectionClosed) and self.protocol.state is OPEN:
            self.logger.error("! error in fragmented message", exc_info=exc)
            self.fail(CloseCode.INTERNAL_ERROR, "error in fragmented message")

    def _end_fragmented_send(self) -> None:
        waiter = self.fragmented_send_waiter
        self.fragmented_send_waiter = None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _send_ping(self, data: bytes | None) -> asyncio.Future[float]:
        pending_pings = self.pending_pings
        while data is None or data in pending_pings:
            data = struct.pack("!I", random.getrandbits(32))
        waiter: asyncio.Future[float] = self.loop.create_future()
        pending_pings[data] = (waiter, self.loop.time())
        self.protocol.send_ping(data)
        self.send_data()
        return waiter

    def _acknowledge_pings(self, data: bytes) -> None:
        pending_pings = self.pending_pings
        if data not in pending_pings:
            return
        now = self.loop.time()
        # A pong acknowledges its ping and every ping sent before it.
        while pending_pings:
            ping_id, (waiter, sent_at) = next(iter(pending_pings.items()))
            del pending_pings[ping_id]
            if not waiter.done():
                waiter.set_result(now - sent_at)
            if ping_id == data:
                self.latency = now - sent_at
                return

    def _abort_pings(self) -> None:
        if not self.pending_pings:
            return
        exc = self.close_exc
        for waiter, _ in self.pending_pings.values():
            if not waiter.done():
                waiter.set_exception(exc)
                # Nobody may await a ping's waiter; don't log its exception as unretrieved.
                waiter.exception()
        self.pending_pings.clear()

    def _keepalive_ping(self) -> None:
        self.keepalive_timer = None
        if self.protocol.state is not OPEN:
            return
        waiter = self._send_ping(None)
        if self.debug:
            self.logger.debug("% sent keepalive ping")
        if self.ping_timeout is None:
            self.start_keepalive()
            return
        timer = self.loop.call_later(self.ping_timeout, self._keepalive_timeout, waiter)
        self.keepalive_timer = timer
        waiter.add_done_callback(self._keepalive_pong)

    def _keepalive_pong(self, waiter: asyncio.Future[float]) -> None:
        if self.keepalive_timer is not None:
            self.keepalive_timer.cancel()
            self.keepalive_timer = None
        if waiter.cancelled() or waiter.exception() is not None:
            return
        if self.debug:
            self.logger.debug("% received keepalive pong")
        if self.protocol.state is OPEN and self.ping_interval is not None:
            # The interval runs from one ping to the next, including the round trip.
            delay = max(self.ping_interval - waiter.result(), 0.0)
            self.keepalive_timer = self.loop.call_later(delay, self._keepalive_ping)

    def _keepalive_timeout(self, waiter: asyncio.Future[float]) -> None:
        self.keepalive_timer = None
        if waiter.done():
            return
        self.logger.info("! timed out waiting for keepalive pong")
        self.fail(CloseCode.INTERNAL_ERROR, "keepalive ping timeout")


def _max_frame_size(protocol: Protocol) -> int | None:
    """Largest payload of a whole message that the protocol accepts, None if unlimited."""
    limits = [
        limit
        for limit in (protocol.max_message_size, protocol.max_fragment_size)
        if limit is not None
    ]
    return min(limits) if limits else None


def _fragment_kind(first: object, text: bool | None) -> tuple[bool, Any]:
    """Return whether a fragmented message is text and how to encode its chunks."""
    if isinstance(first, str):
        return text is not False, _encode_str
    if isinstance(first, BYTES_TYPES):
        return bool(text), _check_bytes
    raise TypeError("data iterable must contain bytes or str")


def _encode_str(chunk: object) -> bytes:
    if not isinstance(chunk, str):
        raise TypeError("data iterable must contain only str")
    return chunk.encode()


def _check_bytes(chunk: object) -> BytesLike:
    if not isinstance(chunk, BYTES_TYPES):
        raise TypeError("data iterable must contain only bytes-like objects")
    return chunk
