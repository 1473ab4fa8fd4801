"""Deprecated alias of :mod:`websockets_impl.protocol` (11.0): ``Connection`` is ``Protocol``."""

from __future__ import annotations

import warnings

from .protocol import Protocol

__all__ = ["Connection"]

warnings.warn(
    "websockets_impl.connection was renamed to websockets_impl.protocol "
    "and Connection was renamed to Protocol",
    DeprecationWarning,
    stacklevel=2,
)

Connection = Protocol
