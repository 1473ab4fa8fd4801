"""Type aliases shared by the whole package."""

from __future__ import annotations

import http
import logging
import os
from typing import NewType, TypeAlias

__all__ = [
    "BytesLike",
    "Data",
    "DataLike",
    "ExtensionName",
    "ExtensionParameter",
    "LoggerLike",
    "Origin",
    "PathLike",
    "StatusLike",
    "Subprotocol",
]

Data: TypeAlias = str | bytes
"""A WebSocket message: :class:`str` for text, :class:`bytes` for binary."""

BytesLike: TypeAlias = bytes | bytearray | memoryview
"""Binary data accepted where a frame payload is expected."""

DataLike: TypeAlias = str | bytes | bytearray | memoryview
"""Any message that can be sent."""

LoggerLike: TypeAlias = logging.Logger | logging.LoggerAdapter  # type: ignore[type-arg]
"""A logger or a logger adapter."""

StatusLike: TypeAlias = http.HTTPStatus | int
"""An HTTP status code."""

Origin = NewType("Origin", str)
"""Value of an Origin header."""

Subprotocol = NewType("Subprotocol", str)
"""A subprotocol in Sec-WebSocket-Protocol."""

ExtensionName = NewType("ExtensionName", str)
"""Name of a WebSocket extension."""

ExtensionParameter: TypeAlias = tuple[str, str | None]
"""A parameter of a WebSocket extension: name and optional value."""

PathLike: TypeAlias = str | os.PathLike[str]
"""A filesystem path, e.g. of a Unix socket."""
