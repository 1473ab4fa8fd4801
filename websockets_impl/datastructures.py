"""HTTP headers: a case-insensitive, multi-valued mapping."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import Any, Protocol, TypeAlias

from .exceptions import InvalidHeader, InvalidHeaderValue

__all__ = ["Headers", "HeadersLike", "MultipleValuesError", "SupportsKeysAndGetItem"]

# RFC 9110 field-name is a token; field-value excludes CR, LF and NUL, which would
# let a value inject extra headers. Values travel as ISO-8859-1, so code points above
# U+00FF can't be sent either.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VALUE = re.compile(r"[^\x00\r\n\u0100-\U0010ffff]*")


class MultipleValuesError(LookupError):
    """``Headers[name]`` found several values for ``name``."""

    def __str__(self) -> str:
        # LookupError would show the repr of a one-element tuple.
        if len(self.args) == 1:
            return repr(self.args[0])
        return super().__str__()


class SupportsKeysAndGetItem(Protocol):
    """A mapping-like object: ``keys()`` and ``[key]``."""

    def keys(self) -> Iterable[str]: ...

    def __getitem__(self, key: str) -> str: ...


class Headers(MutableMapping[str, str]):
    """HTTP headers.

    Names are case-insensitive; a name may have several values. ``headers[name] = value``
    adds a value rather than replacing; ``headers[name]`` returns the only value and
    raises :exc:`MultipleValuesError` when there are several; ``del headers[name]``
    removes every value. Iteration yields lower-cased names, once each.
    """

    __slots__ = ["_dict", "_list"]

    def __init__(self, *args: HeadersLike, **kwargs: str) -> None:
        self._dict: dict[str, list[str]] = {}
        self._list: list[tuple[str, str]] = []
        self.update(*args, **kwargs)

    def __str__(self) -> str:
        return "".join(f"{name}: {value}\r\n" for name, value in self._list) + "\r\n"

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self._list!r})"

    def copy(self) -> Headers:
        copy = self.__class__()
        copy._dict = {name: list(values) for name, values in self._dict.items()}
        copy._list = list(self._list)
        return copy

    def serialize(self) -> bytes:
        return str(self).encode("iso-8859-1")

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._dict

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict)

    def __len__(self) -> int:
        return len(self._dict)

    def __getitem__(self, key: str) -> str:
        values = self._dict[key.lower()]
        if len(values) == 1:
            return values[0]
        raise MultipleValuesError(key)

    def __setitem__(self, key: str, value: str) -> None:
        if not _TOKEN.fullmatch(key):
            raise InvalidHeader(key, "invalid header name")
        if not _VALUE.fullmatch(value):
            raise InvalidHeaderValue(key, value)
        self.set_insecure(key, value)

    def set_insecure(self, key: str, value: str) -> None:
        """Add a value without validating the name or the value."""
        self._dict.setdefault(key.lower(), []).append(value)
        self._list.append((key, value))

    def __delitem__(self, key: str) -> None:
        key_lower = key.lower()
        del self._dict[key_lower]
        self._list = [(k, v) for k, v in self._list if k.lower() != key_lower]

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, Headers):
            return NotImplemented
        return self._dict == other._dict

    __hash__ = None  # type: ignore[assignment]

    def clear(self) -> None:
        self._dict = {}
        self._list = []

    def update(self, *args: HeadersLike, **kwargs: str) -> None:
        """Add headers from the argument, if any, then from keyword arguments.

        Raises:
            TypeError: More than one positional argument, as for a dict.
        """
        if len(args) > 1:
            raise TypeError(f"update expected at most 1 argument, got {len(args)}")
        for arg in args:
            for name, value in _pairs(arg):
                self[name] = value
        for name, value in kwargs.items():
            self[name] = value

    def get_all(self, key: str) -> list[str]:
        """Every value of ``key``, in order; an empty list if there is none."""
        return list(self._dict.get(key.lower(), []))

    def raw_items(self) -> Iterator[tuple[str, str]]:
        """Every ``(name, value)`` pair, in order, with names in their original case."""
        return iter(self._list)


HeadersLike: TypeAlias = (
    Headers | Mapping[str, str] | Iterable[tuple[str, str]] | SupportsKeysAndGetItem
)
"""Anything :class:`Headers` accepts."""


def _pairs(headers: HeadersLike) -> Iterable[tuple[str, str]]:
    if isinstance(headers, Headers):
        # A Mapping view would raise MultipleValuesError on repeated names.
        return list(headers.raw_items())
    if isinstance(headers, Mapping):
        return headers.items()
    if hasattr(headers, "keys") and hasattr(headers, "__getitem__"):
        # Such objects needn't be iterable: keys() is the contract.
        return [(key, headers[key]) for key in headers.keys()]  # noqa: SIM118
    return headers
