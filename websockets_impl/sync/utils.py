"""Helpers for the threading implementation."""

from __future__ import annotations

import time

__all__ = ["Deadline"]


class Deadline:
    """A point in time shared by several blocking calls that must end by then.

    ``timeout=None`` means no deadline.

    """

    def __init__(self, timeout: float | None) -> None:
        self.deadline: float | None
        self.deadline = None if timeout is None else time.monotonic() + timeout

    def timeout(self, *, raise_if_elapsed: bool = True) -> float | None:
        """Seconds left before the deadline, ``None`` without one.

        Raises:
            TimeoutError: the deadline has passed and ``raise_if_elapsed`` is true.

        """
        if self.deadline is None:
            return None
        left = self.deadline - time.monotonic()
        if raise_if_elapsed and left <= 0:
            raise TimeoutError("timed out")
        return left
