"""Registry of the WebSocket implementations compared by the echo benchmark."""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Implementation:
    """A pair of ``serve`` and ``connect`` functions with the same calling convention."""

    name: str
    description: str
    server: str
    """Dotted path of the module providing ``serve(handler, host, port, **kwargs)``."""
    client: str
    """Dotted path of the module providing ``connect(uri, **kwargs)``."""
    baseline: str | None = None
    """Name of the implementation this one is compared to."""

    def load(self) -> tuple[Callable[..., Any], Callable[..., Any]]:
        """Import and return ``(serve, connect)``."""
        with warnings.catch_warnings():
            # The legacy modules warn at import; that's beside the point here.
            warnings.simplefilter("ignore", DeprecationWarning)
            server = importlib.import_module(self.server)
            client = importlib.import_module(self.client)
        return server.serve, client.connect

    def unavailable(self) -> str | None:
        """Why the implementation can't run here, or None if it can."""
        try:
            self.load()
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"
        return None


IMPLEMENTATIONS: dict[str, Implementation] = {
    impl.name: impl
    for impl in [
        Implementation(
            "ours",
            "websockets_impl.asyncio",
            "websockets_impl.asyncio.server",
            "websockets_impl.asyncio.client",
            baseline="upstream",
        ),
        Implementation(
            "upstream",
            "websockets 17.4 asyncio",
            "websockets.asyncio.server",
            "websockets.asyncio.client",
        ),
        Implementation(
            "floor",
            "bare asyncio TCP echo, no WebSocket",
            "benchmarks.echo_floor",
            "benchmarks.echo_floor",
        ),
        Implementation(
            "ours-legacy",
            "websockets_impl.legacy",
            "websockets_impl.legacy.server",
            "websockets_impl.legacy.client",
            baseline="upstream-legacy",
        ),
        Implementation(
            "upstream-legacy",
            "websockets 17.4 legacy",
            "websockets.legacy.server",
            "websockets.legacy.client",
        ),
    ]
}
