"""The connection object shared by the legacy client and server.

:class:`WebSocketCommonProtocol` is an :class:`asyncio.Protocol`. Incoming bytes
go to an :class:`asyncio.StreamReader`; once the opening handshake is done,
three tasks run the connection:

- ``transfer_data_task`` reads frames, answers pings, assembles messages and
  queues them in ``messages`` (at most ``max_queue`` of them);
- ``keepalive_ping_task`` sends a ping every ``ping_interval`` seconds;
- ``close_connection_task`` waits for the data transfer to end, then closes TCP.
"""

from __future__ import annotations

import asyncio
import codecs
import collections
import logging
import os
import random
import ssl
import struct
import time
import traceback
import uuid
import warnings
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

from .. import frames
from ..datastructures import Headers
from ..exceptions import (
    ConcurrencyError,
    ConnectionClosed,
    ConnectionClosedError,
    ConnectionClosedOK,
    InvalidState,
    PayloadTooBig,
    ProtocolError,
    TooManyFragments,
)
from ..extensions import Extension
from ..frames import _OPCODES, OK_CLOSE_CODES, Close, CloseCode, Opcode
from ..protocol import State
from ..typing import BytesLike, Data, LoggerLike, Subprotocol
from .framing import Frame, Reader, build_frame, prepare_ctrl, prepare_data

__all__ = ["WebSocketCommonProtocol", "broadcast"]

MAX_FRAGMENTS = int(os.environ.get("WEBSOCKETS_MAX_FRAGMENTS", "4096"))

DATA_TYPES = (str, bytes, bytearray, memoryview)

# A coroutine writing in a loop to a peer that reads as fast never waits for the write
# buffer: writes yield to the event loop after this many in a row.
WRITES_BETWEEN_YIELDS = 64

ProtocolT = TypeVar("ProtocolT")


class WebSocketCommonProtocol(asyncio.Protocol):
    """A WebSocket connection, after or during the opening handshake.

    ``close_timeout=None`` means 10 seconds. ``host``, ``port`` and ``secure``
    only back the deprecated properties of the same names.
    """

    is_client: bool
    side: str = "undefined"

    # Slots rather than a dictionary of some fifty attributes per connection; __dict__
    # keeps subclasses' attributes and instance-level overrides (e.g. of _drain) working.
    __slots__ = (
        "__dict__",
        "__weakref__",
        "_drain_waiter",
        "_fragmented_message_waiter",
        "_host",
        "_paused",
        "_pop_message_waiter",
        "_port",
        "_put_message_waiter",
        "_secure",
        "_transfer_data_waiter",
        "_writes_since_yield",
        "close_connection_task",
        "close_rcvd",
        "close_rcvd_then_sent",
        "close_sent",
        "close_timeout",
        "connection_lost_waiter",
        "debug",
        "extensions",
        "id",
        "keepalive_ping_task",
        "latency",
        "legacy_recv",
        "logger",
        "loop",
        "max_queue",
        "max_size",
        "messages",
        "path",
        "ping_interval",
        "ping_timeout",
        "pings",
        "read_limit",
        "reader",
        "request_headers",
        "response_headers",
        "state",
        "subprotocol",
        "transfer_data_exc",
        "transfer_data_task",
        "transport",
        "write_limit",
    )

    # Created by connection_made(), then connection_open().
    transport: asyncio.Transport
    transfer_data_task: asyncio.Task[None]
    keepalive_ping_task: asyncio.Task[None]
    close_connection_task: asyncio.Task[None]

    def __init__(
        self,
        *,
        logger: LoggerLike | None = None,
        ping_interval: float | None = 20,
        ping_timeout: float | None = 20,
        close_timeout: float | None = None,
        max_size: int | None = 2**20,
        max_queue: int | None = 2**5,
        read_limit: int = 2**16,
        write_limit: int = 2**16,
        host: str | None = None,
        port: int | None = None,
        secure: bool | None = None,
        legacy_recv: bool = False,
        loop: asyncio.AbstractEventLoop | None = None,
        timeout: float | None = None,
    ) -> None:
        if legacy_recv:
            warnings.warn("legacy_recv is deprecated", DeprecationWarning, stacklevel=2)
        if timeout is None:
            timeout = 10
        else:
            warnings.warn("rename timeout to close_timeout", DeprecationWarning, stacklevel=2)
        if close_timeout is None:
            close_timeout = timeout
        if loop is None:
            loop = asyncio.get_event_loop()
        else:
            warnings.warn("remove loop argument", DeprecationWarning, stacklevel=2)

        self.ping_interval = ping_interval
        self.ping_timeout = ping_timeout
        self.close_timeout = close_timeout
        self.max_size = max_size
        self.max_queue = max_queue
        self.read_limit = read_limit
        self.write_limit = write_limit
        self.legacy_recv = legacy_recv
        self.loop = loop
        self._host = host
        self._port = port
        self._secure = secure

        self.id = uuid.uuid4()
        if logger is None:
            logger = logging.getLogger("websockets.protocol")
        self.logger: LoggerLike = logging.LoggerAdapter(logger, {"websocket": self})
        self.debug = logger.isEnabledFor(logging.DEBUG)

        # Like StreamReader, the reader pauses reading above twice its limit.
        self.reader = Reader(read_limit // 2, loop)
        self._paused = False
        self._drain_waiter: asyncio.Future[None] | None = None
        self._writes_since_yield = 0

        self.state = State.CONNECTING
        self.path = ""
        self.request_headers = Headers()
        self.response_headers = Headers()
        self.extensions: list[Extension] = []
        self.subprotocol: Subprotocol | None = None

        self.close_rcvd: Close | None = None
        self.close_sent: Close | None = None
        self.close_rcvd_then_sent: bool | None = None
        self.connection_lost_waiter: asyncio.Future[None] = loop.create_future()

        self.messages: collections.deque[Data] = collections.deque()
        self._pop_message_waiter: asyncio.Future[None] | None = None
        self._transfer_data_waiter: asyncio.Future[None] | None = None
        self._put_message_waiter: asyncio.Future[None] | None = None
        self._fragmented_message_waiter: asyncio.Future[None] | None = None

        # Payload of each unanswered ping -> (waiter, time sent), oldest first.
        self.pings: dict[bytes, tuple[asyncio.Future[float], float]] = {}
        self.latency = 0.0
        self.transfer_data_exc: BaseException | None = None

    # Deprecated attributes.

    @property
    def host(self) -> str | None:
        warnings.warn(
            f"use {self._address_name}[0] instead of host", DeprecationWarning, stacklevel=2
        )
        return self._host

    @property
    def port(self) -> int | None:
        warnings.warn(
            f"use {self._address_name}[1] instead of port", DeprecationWarning, stacklevel=2
        )
        return self._port

    @property
    def secure(self) -> bool | None:
        warnings.warn("don't use secure", DeprecationWarning, stacklevel=2)
        return self._secure

    @property
    def _address_name(self) -> str:
        # A client was given the server's address, a server its own.
        return "remote_address" if self.is_client else "local_address"

    # Public state.

    @property
    def local_address(self) -> Any:
        """Local address of the socket (``sockname``); ``None`` before the connection."""
        transport = getattr(self, "transport", None)
        return None if transport is None else transport.get_extra_info("sockname")

    @property
    def remote_address(self) -> Any:
        """Remote address of the socket (``peername``); ``None`` before the connection."""
        transport = getattr(self, "transport", None)
        return None if transport is None else transport.get_extra_info("peername")

    @property
    def open(self) -> bool:
        """True while messages can be sent and received."""
        return self.state is State.OPEN and not self.transfer_data_task.done()

    @property
    def closed(self) -> bool:
        """True once the TCP connection is closed."""
        return self.state is State.CLOSED

    @property
    def close_code(self) -> int | None:
        """Code of the close frame received; 1006 if none was; ``None`` until closed."""
        if self.state is not State.CLOSED:
            return None
        if self.close_rcvd is None:
            return CloseCode.ABNORMAL_CLOSURE
        return self.close_rcvd.code

    @property
    def close_reason(self) -> str | None:
        """Reason of the close frame received; ``""`` if none was; ``None`` until closed."""
        if self.state is not State.CLOSED:
            return None
        if self.close_rcvd is None:
            return ""
        return self.close_rcvd.reason

    # Public API.

    async def __aiter__(self) -> AsyncIterator[Data]:
        """Iterate over messages; stop on a normal closure, raise on an error."""
        try:
            while True:
                message = await self.recv()
                if message is None:  # Only with the deprecated legacy_recv.
                    return
                yield message
        except ConnectionClosedOK:
            return

    async def recv(self) -> Data:
        """Return the next message: ``str`` for text, ``bytes`` for binary.

        Messages queued before the connection closed are returned first; then it
        raises ConnectionClosed (or returns ``None`` with ``legacy_recv=True``).
        Raises ConcurrencyError if another coroutine is already waiting.
        """
        if self._pop_message_waiter is not None:
            raise ConcurrencyError(
                "cannot call recv while another coroutine is already waiting for the next message"
            )
        while not self.messages:
            if not hasattr(self, "transfer_data_task"):
                await self.ensure_open()
            if self.transfer_data_task.done():
                if self.legacy_recv:
                    return None  # type: ignore[return-value]
                await self.ensure_open()
            # Resolved by the next message or by the end of the data transfer.
            pop_message_waiter: asyncio.Future[None] = self.loop.create_future()
            self._pop_message_waiter = pop_message_waiter
            try:
                await pop_message_waiter
            finally:
                self._pop_message_waiter = None
        message = self.messages.popleft()
        put_message_waiter = self._put_message_waiter
        if put_message_waiter is not None and not put_message_waiter.done():
            put_message_waiter.set_result(None)
        return message

    async def send(
        self,
        message: Data | Iterable[Data] | AsyncIterable[Data],
    ) -> None:
        """Send a message, or a fragmented one from an (async) iterable of fragments.

        ``str`` goes as text, bytes-like objects as binary; all fragments must
        have the same type. Raises TypeError for other types, including dicts.
        """
        if self.state is not State.OPEN or self.transfer_data_task.done():
            await self.ensure_open()
        while self._fragmented_message_waiter is not None:
            await asyncio.shield(self._fragmented_message_waiter)

        if isinstance(message, str):
            await self.write_frame(True, Opcode.TEXT, message.encode())
        elif isinstance(message, DATA_TYPES):
            await self.write_frame(True, Opcode.BINARY, message)
        elif isinstance(message, Mapping):
            raise TypeError("data is a dict-like object")
        elif isinstance(message, Iterable):
            await self._send_fragments(_aiter_sync(iter(message)))
        elif isinstance(message, AsyncIterable):
            await self._send_fragments(aiter(message))
        else:
            raise TypeError("data must be str, bytes-like, or iterable")

    async def _send_fragments(self, fragments: AsyncIterator[Data]) -> None:
        try:
            first = await anext(fragments)
        except StopAsyncIteration:
            return
        opcode, data = prepare_data(first)
        waiter: asyncio.Future[None] = self.loop.create_future()
        self._fragmented_message_waiter = waiter
        try:
            await self.write_frame(False, opcode, data)
            async for fragment in fragments:
                fragment_opcode, data = prepare_data(fragment)
                if fragment_opcode != opcode:
                    raise TypeError("data contains inconsistent types")
                await self.write_frame(False, Opcode.CONT, data)
            await self.write_frame(True, Opcode.CONT, b"")
        except (Exception, asyncio.CancelledError):
            # A message left half-sent makes the connection unusable.
            self.fail_connection(CloseCode.INTERNAL_ERROR)
            raise
        finally:
            waiter.set_result(None)
            self._fragmented_message_waiter = None

    async def close(self, code: int = CloseCode.NORMAL_CLOSURE, reason: str = "") -> None:
        """Perform the closing handshake, then wait until TCP is closed.

        Idempotent. Each step is bounded by ``close_timeout``; on timeout the
        connection is failed instead.
        """
        if hasattr(self, "transfer_data_task"):
            try:
                async with asyncio.timeout(self.close_timeout):
                    await self.write_close_frame(Close(code, reason))
            except TimeoutError:
                # The close frame is stuck behind a full write buffer.
                self.fail_connection()
            except ConnectionClosed:
                # The connection was lost while sending the close frame: nothing left to do.
                pass
            done, _ = await asyncio.wait([self.transfer_data_task], timeout=self.close_timeout)
            if not done:
                # No close frame came back in time.
                self.transfer_data_task.cancel()
        elif not hasattr(self, "close_connection_task"):
            # Never opened: there's no closing handshake, only TCP to close.
            self.fail_connection()
        await asyncio.shield(self.close_connection_task)

    async def wait_closed(self) -> None:
        """Wait until the TCP connection is closed."""
        await asyncio.shield(self.connection_lost_waiter)

    async def ping(self, data: Data | None = None) -> Awaitable[float]:
        """Send a ping; return a future that resolves to the latency when the pong comes.

        A pong acknowledges its ping and every earlier one. ``data`` defaults to
        four random bytes; ``str`` is encoded in UTF-8.
        """
        await self.ensure_open()
        payload = None if data is None else prepare_ctrl(data)
        if payload is not None and payload in self.pings:
            raise ConcurrencyError("already waiting for a pong with the same data")
        while payload is None or payload in self.pings:
            payload = struct.pack("!I", random.getrandbits(32))
        pong_waiter: asyncio.Future[float] = self.loop.create_future()
        self.pings[payload] = (pong_waiter, time.perf_counter())
        await self.write_frame(True, Opcode.PING, payload)
        return asyncio.shield(pong_waiter)

    async def pong(self, data: Data = b"") -> None:
        """Send an unsolicited pong (a unidirectional heartbeat)."""
        await self.ensure_open()
        await self.write_frame(True, Opcode.PONG, prepare_ctrl(data))

    # Connection lifecycle.

    def connection_open(self) -> None:
        """Switch to OPEN after the opening handshake and start the tasks."""
        self.state = State.OPEN
        if self.debug:
            self.logger.debug("= connection is OPEN")
        self.transfer_data_task = self.loop.create_task(self.transfer_data())
        self.transfer_data_task.add_done_callback(self._transfer_data_done)
        self.keepalive_ping_task = self.loop.create_task(self.keepalive_ping())
        self.close_connection_task = self.loop.create_task(self.close_connection())

    async def ensure_open(self) -> None:
        """Return if messages can be sent; raise ConnectionClosed or InvalidState if not.

        While the connection is closing, this waits for it to be closed first, so
        the exception carries the final close codes.
        """
        if self.state is State.OPEN:
            if not self.transfer_data_task.done():
                return
            await asyncio.shield(self.close_connection_task)
            raise self.connection_closed_exc()
        if self.state is State.CLOSED:
            raise self.connection_closed_exc()
        if self.state is State.CLOSING:
            await asyncio.shield(self.close_connection_task)
            raise self.connection_closed_exc()
        raise InvalidState("WebSocket connection isn't established yet")

    def connection_closed_exc(self) -> ConnectionClosed:
        exc: ConnectionClosed
        # Both close frames with 1000, 1001 or 1005 make a normal closure.
        if (
            self.close_rcvd is not None
            and self.close_rcvd.code in OK_CLOSE_CODES
            and self.close_sent is not None
            and self.close_sent.code in OK_CLOSE_CODES
        ):
            exc = ConnectionClosedOK(self.close_rcvd, self.close_sent, self.close_rcvd_then_sent)
        else:
            exc = ConnectionClosedError(self.close_rcvd, self.close_sent, self.close_rcvd_then_sent)
        exc.__cause__ = self.transfer_data_exc
        return exc

    def _transfer_data_done(self, _: object) -> None:
        # Wake up recv() and close_connection(), which wait for a message or for this.
        for waiter in (self._pop_message_waiter, self._transfer_data_waiter):
            if waiter is not None and not waiter.done():
                waiter.set_result(None)

    async def transfer_data(self) -> None:
        """Read messages into the queue until the closing handshake, failing on errors."""
        try:
            while True:
                message = await self.read_message()
                if message is None:
                    break
                while self.max_queue is not None and len(self.messages) >= self.max_queue:
                    put_message_waiter: asyncio.Future[None] = self.loop.create_future()
                    self._put_message_waiter = put_message_waiter
                    try:
                        await asyncio.shield(put_message_waiter)
                    finally:
                        self._put_message_waiter = None
                self.messages.append(message)
                pop_message_waiter = self._pop_message_waiter
                if pop_message_waiter is not None and not pop_message_waiter.done():
                    pop_message_waiter.set_result(None)
        except asyncio.CancelledError as exc:
            self.transfer_data_exc = exc
            raise
        except ProtocolError as exc:
            self.transfer_data_exc = exc
            self.fail_connection(CloseCode.PROTOCOL_ERROR)
        except (ConnectionError, TimeoutError, EOFError, ssl.SSLError) as exc:
            # EOFError covers IncompleteReadError: the peer vanished mid-frame.
            self.transfer_data_exc = exc
            self.fail_connection(CloseCode.ABNORMAL_CLOSURE)
        except UnicodeDecodeError as exc:
            self.transfer_data_exc = exc
            self.fail_connection(CloseCode.INVALID_DATA)
        except (PayloadTooBig, TooManyFragments) as exc:
            self.transfer_data_exc = exc
            self.fail_connection(CloseCode.MESSAGE_TOO_BIG)
        except Exception as exc:
            self.logger.error("data transfer failed", exc_info=True)
            self.transfer_data_exc = exc
            self.fail_connection(CloseCode.INTERNAL_ERROR)

    async def read_message(self) -> Data | None:
        """Read one message, reassembling fragments; ``None`` after a close frame."""
        frame = await self.read_data_frame(max_size=self.max_size)
        if frame is None:
            return None
        if frame.opcode is Opcode.TEXT:
            text = True
        elif frame.opcode is Opcode.BINARY:
            text = False
        else:
            raise ProtocolError("unexpected opcode")
        if frame.fin:
            return frame.data.decode() if text else frame.data

        # Fragmented message: decode text incrementally to fail early on bad UTF-8.
        decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
        chunks: list[Any] = []
        remaining = self.max_size

        def append(frame: Frame) -> None:
            nonlocal remaining
            chunks.append(decoder.decode(frame.data, frame.fin) if text else frame.data)
            if remaining is not None:
                remaining -= len(frame.data)

        append(frame)
        while not frame.fin:
            if len(chunks) >= MAX_FRAGMENTS:
                raise TooManyFragments(MAX_FRAGMENTS)
            next_frame = await self.read_data_frame(max_size=remaining)
            if next_frame is None:
                raise ProtocolError("incomplete fragmented message")
            if next_frame.opcode is not Opcode.CONT:
                raise ProtocolError("unexpected opcode")
            frame = next_frame
            append(frame)
        return "".join(chunks) if text else b"".join(chunks)

    async def read_data_frame(self, max_size: int | None) -> Frame | None:
        """Read the next data frame, handling control frames on the way.

        Returns ``None`` once a close frame is received (and echoed if needed).
        """
        while True:
            frame = await self.read_frame(max_size)
            if frame.opcode is Opcode.CLOSE:
                self.close_rcvd = Close.parse(frame.data)
                if self.close_sent is not None:
                    self.close_rcvd_then_sent = False
                try:
                    # Echo the peer's close frame as RFC 6455 recommends.
                    await self.write_close_frame(self.close_rcvd, frame.data)
                except ConnectionClosed:
                    pass
                return None
            if frame.opcode is Opcode.PING:
                # Going through pong() would wait on ourselves while closing.
                if self.state is State.OPEN:
                    try:
                        await self.write_frame(True, Opcode.PONG, frame.data)
                    except ConnectionClosed:
                        pass
            elif frame.opcode is Opcode.PONG:
                self._acknowledge_pings(frame.data)
            else:
                return frame

    async def read_frame(self, max_size: int | None) -> Frame:
        """Read one frame from the network."""
        first, data = await self.reader.read_frame(not self.is_client, max_size)
        opcode = _OPCODES[first & 0x0F]
        if self.extensions:
            new_frame = frames.Frame(
                opcode,
                data,
                first >= 0x80,
                bool(first & 0x40),
                bool(first & 0x20),
                bool(first & 0x10),
            )
            for extension in reversed(self.extensions):
                new_frame = extension.decode(new_frame, max_size=max_size if opcode < 8 else None)
            new_frame.check()
            frame = Frame(
                new_frame.fin,
                new_frame.opcode,
                bytes(new_frame.data),
                new_frame.rsv1,
                new_frame.rsv2,
                new_frame.rsv3,
            )
        else:
            # The checks of frames.Frame.check(), without building one.
            if first & 0x70:
                raise ProtocolError("reserved bits must be 0")
            if opcode >= 8:
                if len(data) > 125:
                    raise ProtocolError("control frame too long")
                if first < 0x80:
                    raise ProtocolError("fragmented control frame")
            frame = Frame(first >= 0x80, opcode, data)
        if self.debug:
            self.logger.debug("< %s", frame)
        return frame

    def _acknowledge_pings(self, data: bytes) -> None:
        if data not in self.pings:
            return
        pong_timestamp = time.perf_counter()
        # Acknowledge this ping and every earlier one, in order.
        for ping_data in list(self.pings):
            pong_waiter, ping_timestamp = self.pings.pop(ping_data)
            latency = pong_timestamp - ping_timestamp
            if not pong_waiter.done():
                pong_waiter.set_result(latency)
            if ping_data == data:
                self.latency = latency
                return

    def abort_pings(self) -> None:
        """Fail the waiters of unanswered pings with ConnectionClosed."""
        exc = self.connection_closed_exc()
        for pong_waiter, _ in self.pings.values():
            if not pong_waiter.done():
                pong_waiter.set_exception(exc)
                # Nobody may await it; don't log "exception never retrieved".
                pong_waiter.exception()
        self.pings.clear()

    async def keepalive_ping(self) -> None:
        """Ping every ``ping_interval``; fail with 1011 if no pong in ``ping_timeout``."""
        if self.ping_interval is None:
            return
        try:
            while True:
                await asyncio.sleep(self.ping_interval)
                pong_waiter = await self.ping()
                if self.ping_timeout is None:
                    continue
                try:
                    async with asyncio.timeout(self.ping_timeout):
                        await pong_waiter
                except TimeoutError:
                    if self.debug:
                        self.logger.debug("! timed out waiting for keepalive pong")
                    self.fail_connection(CloseCode.INTERNAL_ERROR, "keepalive ping timeout")
                    return
        except ConnectionClosed:
            pass
        except Exception:
            self.logger.error("keepalive ping failed", exc_info=True)

    async def close_connection(self) -> None:
        """Close TCP once the data transfer is over.

        The server closes first (RFC 6455, section 7.1.1); the client waits for
        that, then half-closes, then closes itself.
        """
        try:
            # Every idle connection waits here, for _transfer_data_done(): a single future
            # keeps fewer objects alive than asyncio.wait(), and cancelling it leaves the
            # data transfer alone.
            if not self.transfer_data_task.done():
                waiter: asyncio.Future[None] = self.loop.create_future()
                self._transfer_data_waiter = waiter
                try:
                    await waiter
                finally:
                    self._transfer_data_waiter = None
            keepalive_ping_task = self.keepalive_ping_task
            keepalive_ping_task.cancel()
            await asyncio.wait([keepalive_ping_task])
            # Don't keep the finished task, and the cycle through it, alive.
            del self.keepalive_ping_task
            # The client lets the server close TCP first (RFC 6455 7.1.1).
            if self.is_client and await self.wait_for_connection_lost():
                return
            # Then either side half-closes and gives the peer close_timeout to close.
            if self.transport.can_write_eof():
                self.transport.write_eof()
                if await self.wait_for_connection_lost():
                    return
        finally:
            await self.close_transport()

    async def close_transport(self) -> None:
        """Close the transport, and abort it if that takes more than ``close_timeout``."""
        if self.connection_lost_waiter.done():
            return
        if self.debug:
            self.logger.debug("x closing TCP connection")
        self.transport.close()
        if await self.wait_for_connection_lost():
            return
        if self.debug:
            self.logger.debug("x aborting TCP connection")
        self.transport.abort()
        await self.wait_for_connection_lost()

    async def wait_for_connection_lost(self) -> bool:
        """Wait up to ``close_timeout`` for connection_lost(); tell whether it happened."""
        if not self.connection_lost_waiter.done():
            await asyncio.wait([self.connection_lost_waiter], timeout=self.close_timeout)
        return self.connection_lost_waiter.done()

    def fail_connection(self, code: int = CloseCode.ABNORMAL_CLOSURE, reason: str = "") -> None:
        """Stop the data transfer, send a close frame unless ``code`` is 1006, close TCP.

        Doesn't wait for the closing handshake; ``close_connection_task`` finishes it.
        """
        if self.debug:
            self.logger.debug("! failing connection with code %d", code)
        if hasattr(self, "transfer_data_task"):
            self.transfer_data_task.cancel()
        if code != CloseCode.ABNORMAL_CLOSURE and self.state is State.OPEN:
            close = Close(code, reason)
            self.state = State.CLOSING
            self.close_sent = close
            if self.close_rcvd is not None:
                self.close_rcvd_then_sent = True
            self.write_frame_sync(True, Opcode.CLOSE, close.serialize())
        if not hasattr(self, "close_connection_task"):
            # Failed during the opening handshake: only TCP is left to close.
            self.close_connection_task = self.loop.create_task(self.close_transport())

    # Writing.

    async def write_close_frame(self, close: Close, data: bytes | None = None) -> None:
        """Send a close frame unless one was sent already; switch to CLOSING."""
        if self.state is not State.OPEN:
            return
        if data is None:
            data = close.serialize()
        self.state = State.CLOSING
        self.close_sent = close
        if self.close_rcvd is not None:
            self.close_rcvd_then_sent = True
        if self.debug:
            self.logger.debug("= connection is CLOSING")
        await self.write_frame(True, Opcode.CLOSE, data, _state=State.CLOSING)

    async def write_frame(
        self, fin: bool, opcode: int, data: BytesLike, *, _state: State = State.OPEN
    ) -> None:
        """Send a frame, then wait while the write buffer is above ``write_limit``."""
        if self.state is not _state:
            raise InvalidState(f"Cannot write to a WebSocket in the {self.state.name} state")
        self.write_frame_sync(fin, opcode, data)
        # As drain(), without one more coroutine per frame.
        try:
            await self._drain()
        except ConnectionError:
            await self._lost_while_draining()

    def write_frame_sync(self, fin: bool, opcode: int, data: BytesLike) -> None:
        """Send a frame without flow control (used by broadcast and fail_connection)."""
        if self.debug or self.extensions or opcode not in _OPCODES:
            frame = Frame(fin, Opcode(opcode), bytes(data))
            if self.debug:
                self.logger.debug("> %s", frame)
            frame.write(self.transport.write, mask=self.is_client, extensions=self.extensions)
            return
        if type(data) is not bytes:
            data = bytes(data)
        if opcode >= 8:
            # The checks of frames.Frame.check() for the frames we can send.
            if len(data) > 125:
                raise ProtocolError("control frame too long")
            if not fin:
                raise ProtocolError("fragmented control frame")
        frame_bytes, rest = build_frame(
            opcode | 0x80 if fin else opcode, data, os.urandom(4) if self.is_client else None
        )
        write = self.transport.write
        write(frame_bytes)
        if rest:
            write(rest)

    async def drain(self) -> None:
        """Wait for the write buffer to drain below its low-water mark.

        Raises ConnectionClosed if the connection is lost meanwhile.
        """
        try:
            await self._drain()
        except ConnectionError:
            await self._lost_while_draining()

    async def _lost_while_draining(self) -> None:
        self.fail_connection()
        if hasattr(self, "transfer_data_task"):
            # Let the cancelled data transfer end, so that ensure_open() raises.
            await asyncio.wait([self.transfer_data_task])
        await self.ensure_open()

    async def _drain(self) -> None:
        """Wait while writing is paused; every write awaits it, looked up on the instance.

        Raises ConnectionResetError once the connection is lost. Yields to the event loop
        every few writes even when the peer reads as fast as this side writes, so that a
        coroutine sending in a loop can't starve other connections.
        """
        if self.transport.is_closing():
            # Let connection_lost() run if it's pending.
            await asyncio.sleep(0)
        if self.connection_lost_waiter.done():
            raise ConnectionResetError("Connection lost")
        if self._paused:
            self._writes_since_yield = 0
            # Writers share one future; shield() keeps a cancelled writer from
            # cancelling it for the others.
            waiter = self._drain_waiter
            if waiter is None:
                waiter = self._drain_waiter = self.loop.create_future()
            await asyncio.shield(waiter)
            if self.connection_lost_waiter.done():
                raise ConnectionResetError("Connection lost")
        else:
            self._writes_since_yield += 1
            if self._writes_since_yield >= WRITES_BETWEEN_YIELDS:
                self._writes_since_yield = 0
                await asyncio.sleep(0)

    # asyncio.Protocol callbacks.

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # Any object with the methods of a transport will do: a wrapper, a mock, a
        # transport of another event loop.
        if self.debug:
            self.logger.debug("= connection is CONNECTING")
        self.transport = transport  # type: ignore[assignment]
        self.reader.set_transport(transport)
        # The default low-water mark is a quarter of the high one.
        transport.set_write_buffer_limits(self.write_limit)

    def connection_lost(self, exc: Exception | None) -> None:
        self.state = State.CLOSED
        if self.debug:
            self.logger.debug("= connection is CLOSED")
        self.abort_pings()
        if not self.connection_lost_waiter.done():
            self.connection_lost_waiter.set_result(None)
        if exc is None:
            self.reader.feed_eof()
        else:
            self.reader.set_exception(exc)
        # Writers waiting in _drain() wake up and find the connection lost.
        self.resume_writing()

    def pause_writing(self) -> None:
        self._paused = True

    def resume_writing(self) -> None:
        self._paused = False
        waiter = self._drain_waiter
        self._drain_waiter = None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def data_received(self, data: bytes) -> None:
        self.reader.feed_data(data)

    def eof_received(self) -> None:
        # Returning None lets the transport close itself after the peer's EOF.
        self.reader.feed_eof()


async def _aiter_sync(iterator: Iterable[Data]) -> AsyncIterator[Data]:
    for item in iterator:
        yield item


def pop_deprecated_arguments(
    kwargs: dict[str, Any],
    close_timeout: float | None,
    create_protocol: Callable[..., ProtocolT] | None,
    default_protocol: Callable[..., ProtocolT],
) -> tuple[float, Callable[..., ProtocolT], bool]:
    """Take the deprecated ``timeout``, ``klass``, ``loop`` and ``legacy_recv`` out of ``kwargs``.

    For :func:`connect` and :func:`serve`, which must call it directly: the warnings point
    at their caller. Return ``close_timeout``, ``create_protocol`` (``timeout`` and ``klass``
    stand in when they're missing) and ``legacy_recv``.
    """
    timeout: float | None = kwargs.pop("timeout", None)
    if timeout is None:
        timeout = 10
    else:
        warnings.warn("rename timeout to close_timeout", DeprecationWarning, stacklevel=3)
    if close_timeout is None:
        close_timeout = timeout

    klass: Callable[..., ProtocolT] | None = kwargs.pop("klass", None)
    if klass is None:
        klass = default_protocol
    else:
        warnings.warn("rename klass to create_protocol", DeprecationWarning, stacklevel=3)
    if create_protocol is None:
        create_protocol = klass

    if kwargs.pop("loop", None) is not None:
        warnings.warn("remove loop argument", DeprecationWarning, stacklevel=3)
    legacy_recv: bool = kwargs.pop("legacy_recv", False)
    return close_timeout, create_protocol, legacy_recv


def broadcast(
    websockets: Iterable[WebSocketCommonProtocol],
    message: Data,
    raise_exceptions: bool = False,
) -> None:
    """Send ``message`` to every open connection in ``websockets``, without waiting.

    Connections that aren't open are skipped. Connections that can't take the
    message (in the middle of a fragmented message, or failing to write) are
    skipped with a warning in their log, or, with ``raise_exceptions=True``,
    reported together in an ExceptionGroup at the end.
    """
    if not isinstance(message, DATA_TYPES):
        raise TypeError("data must be str or bytes-like")
    opcode, data = prepare_data(message)
    exceptions: list[Exception] = []
    for websocket in websockets:
        if websocket.state is not State.OPEN:
            continue
        if websocket._fragmented_message_waiter is not None:
            if raise_exceptions:
                exceptions.append(ConcurrencyError("sending a fragmented message"))
            else:
                websocket.logger.warning("skipped broadcast: sending a fragmented message")
            continue
        try:
            websocket.write_frame_sync(True, opcode, data)
        except Exception as write_exception:
            if raise_exceptions:
                exception = RuntimeError("failed to write message")
                exception.__cause__ = write_exception
                exceptions.append(exception)
            else:
                websocket.logger.warning(
                    "skipped broadcast: failed to write message: %s",
                    traceback.format_exception_only(write_exception)[0].strip(),
                )
    if raise_exceptions and exceptions:
        raise ExceptionGroup("skipped broadcast", exceptions)
