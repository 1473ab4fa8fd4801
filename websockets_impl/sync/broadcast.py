"""Sending one message to many connections from threads: :func:`broadcast`."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from ..exceptions import ConcurrencyError
from ..protocol import OPEN
from ..typing import DataLike
from .connection import BYTES_TYPES

if TYPE_CHECKING:
    from .connection import Connection

__all__ = ["broadcast"]


def broadcast(
    connections: Iterable[Connection],
    message: DataLike,
    *,
    raise_exceptions: bool = False,
    text: bool | None = None,
    **kwargs: Any,
) -> None:
    """Send a message to several connections, from a thread pool.

    Connections that aren't open are skipped, and so are connections sending a
    fragmented message. Failures are logged, or with ``raise_exceptions=True``
    raised together at the end in an :exc:`ExceptionGroup`. ``kwargs`` go to
    :class:`~concurrent.futures.ThreadPoolExecutor`.

    Raises:
        TypeError: the message isn't a str or a bytes-like object.

    """
    if not isinstance(message, (str, *BYTES_TYPES)):
        raise TypeError("data must be str or bytes")

    exceptions: list[Exception] = []

    def send(connection: Connection) -> None:
        if connection.state is not OPEN:
            return
        if connection.send_in_progress:
            if raise_exceptions:
                exceptions.append(ConcurrencyError("sending a fragmented message"))
            else:
                connection.logger.warning("skipped broadcast: sending a fragmented message")
            return
        try:
            connection.send(message, text=text)
        except Exception as exc:
            if raise_exceptions:
                error = RuntimeError("failed to write message")
                error.__cause__ = exc
                exceptions.append(error)
            else:
                connection.logger.warning(
                    "skipped broadcast: failed to write message: %s: %s",
                    type(exc).__name__,
                    exc,
                )

    with ThreadPoolExecutor(**kwargs) as executor:
        for connection in connections:
            executor.submit(send, connection)

    if exceptions:
        raise ExceptionGroup("skipped broadcast", exceptions)


# Upstream documents broadcast() in the server module, where it is exported.
broadcast.__module__ = __name__.rpartition(".")[0] + ".server"
