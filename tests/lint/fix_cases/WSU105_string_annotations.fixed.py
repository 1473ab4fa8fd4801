"""InvalidStatusCode named in string annotations: renamed inside the strings like elsewhere."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import websockets
from websockets import exceptions

if TYPE_CHECKING:
    import websockets.exceptions
    from websockets.exceptions import InvalidStatus

last_failure: "Optional[websockets.exceptions.InvalidStatus]" = None


def status(exc: "InvalidStatus") -> int:
    return exc.response.status_code


def retry_after(exc: "websockets.InvalidStatus") -> str | None:
    return exc.response.headers.get("Retry-After")


def both(first: "exceptions.InvalidStatus", second: "list[InvalidStatus]") -> None:
    print(first.response.status_code, len(second))


def pending() -> """dict[
    str, websockets.exceptions.InvalidStatus
]""":
    return {}


def escaped(exc: "websockets.InvalidStatus\x43ode") -> None:
    print(exc)


def split(exc: "websockets." "InvalidStatusCode") -> None:
    print(exc)
