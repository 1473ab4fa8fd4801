"""Sending one message to many connections: :func:`broadcast`."""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..exceptions import ConcurrencyError
from ..protocol import State
from ..typing import BytesLike, DataLike
from .framing import BYTES_TYPES, FIN_BINARY, FIN_TEXT

if TYPE_CHECKING:
    from .connection import Connection

__all__ = ["broadcast"]


def broadcast(
    connections: Iterable[Connection],
    message: DataLike,
    *,
    text: bool | None = None,
    raise_exceptions: bool = False,
) -> None:
    """Send a message to several connections without waiting.

    Connections that aren't open are skipped, and so are connections that are
    sending a fragmented message or whose write buffer is above the high-water
    mark: a slow client never slows down the others. With
    ``raise_exceptions=True``, an :exc:`ExceptionGroup` reports the skipped
    connections (other than closed ones); otherwise they are logged.

    Raises:
        TypeError: the message isn't a str or a bytes-like object.

    """
    if isinstance(message, str):
        is_text = text is not False
        data: BytesLike = message.encode()
    elif isinstance(message, BYTES_TYPES):
        is_text = bool(text)
        data = message
    else:
        raise TypeError("data must be str or bytes")

    exceptions: list[Exception] = []
    for connection in connections:
        protocol = connection.protocol
        if protocol.state is not State.OPEN or connection.transport.is_closing():
            continue
        if connection.fragmented_send_waiter is not None:
            exc: Exception = ConcurrencyError("sending a fragmented message")
        elif (
            connection.transport.get_write_buffer_size() + connection.pending_size
            > connection.write_limit[0]
        ):
            exc = ConcurrencyError("write buffer is full: connection is too slow")
        else:
            try:
                if connection.fast_path:
                    connection.write_frame(FIN_TEXT if is_text else FIN_BINARY, data)
                elif is_text:
                    protocol.send_text(data)
                    connection.send_data()
                else:
                    protocol.send_binary(data)
                    connection.send_data()
            except Exception as write_exc:
                exc = write_exc
            else:
                if not connection.transport.is_closing():
                    continue
                # The transport refused the write: the connection recorded why and aborted.
                exc = RuntimeError("failed to write message")
                exc.__cause__ = connection.recv_exc
        if raise_exceptions:
            exc.add_note(f"connection {connection.id}")
            exceptions.append(exc)
        else:
            reason = str(exc)
            if exc.__cause__ is not None:
                reason += ": " + traceback.format_exception_only(exc.__cause__)[-1].strip()
            connection.logger.warning("skipped broadcast: %s", reason)

    if exceptions:
        raise ExceptionGroup("skipped broadcast", exceptions)


# Like upstream, the function lives here but is documented as part of the server module.
broadcast.__module__ = "websockets_impl.asyncio.server"
