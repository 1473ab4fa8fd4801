"""InvalidStatusCode named in string annotations: renamed inside the strings like elsewhere."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import websockets
from websockets import exceptions

if TYPE_CHECKING:
    import websockets.exceptions
    from websockets.exceptions import InvalidStatusCode

last_failure: "Optional[websockets.exceptions.InvalidStatusCode]" = None


def status(exc: "InvalidStatusCode") -> int:
    return exc.status_code


def retry_after(exc: "websockets.InvalidStatusCode") -> str | None:
    return exc.headers.get("Retry-After")


def both(first: "exceptions.InvalidStatusCode", second: "list[InvalidStatusCode]") -> None:
    print(first.status_code, len(second))


def pending() -> """dict[
    str, websockets.exceptions.InvalidStatusCode
]""":
    return {}


def escaped(exc: "websockets.InvalidStatus\x43ode") -> None:
    print(exc)


def split(exc: "websockets." "InvalidStatusCode") -> None:
    print(exc)
