"""Standard-library features newer than Python 3.9, the oldest Python the linter runs on.

Each name is the standard library's own where it exists, so that 3.11+ behaves exactly as
it would without this module.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from enum import Enum
from typing import TypeVar

if sys.version_info >= (3, 11):
    from enum import StrEnum

    import tomllib
else:
    import tomli as tomllib

    class StrEnum(str, Enum):
        """A ``str`` enum whose ``str()`` and ``format()`` give the value, as 3.11's."""

        def __str__(self) -> str:
            return str(self.value)

        def __format__(self, spec: str) -> str:
            return format(str(self.value), spec)


T = TypeVar("T")

if sys.version_info >= (3, 10):
    from itertools import pairwise
else:

    def pairwise(items: Iterable[T]) -> Iterator[tuple[T, T]]:
        iterator = iter(items)
        previous = next(iterator, None)
        for item in iterator:
            yield previous, item  # type: ignore[misc]
            previous = item


__all__ = ["StrEnum", "pairwise", "tomllib"]
