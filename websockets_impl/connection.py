"""Deprecated alias of :mod:`websockets_impl.protocol` (11.0): ``Connection`` is ``Protocol``."""

from __future__ import annotations

import warnings

from .protocol import (
    CLIENT,
    CLOSED,
    CLOSING,
    CONNECTING,
    OPEN,
    SEND_EOF,
    SERVER,
    Protocol,
    Side,
    State,
)

# Everything the 10.x module exported still resolves, under the new names too.
__all__ = [
    "CLIENT",
    "CLOSED",
    "CLOSING",
    "CONNECTING",
    "OPEN",
    "SEND_EOF",
    "SERVER",
    "Connection",
    "Side",
    "State",
]

# Upstream's text, word for word: code and tests written for websockets match on it.
warnings.warn(
    "websockets.connection was renamed to websockets.protocol "
    "and Connection was renamed to Protocol",
    DeprecationWarning,
    stacklevel=2,
)

Connection = Protocol
