"""Standard-library features newer than Python 3.9, the oldest Python the linter runs on.

Each name is the standard library's own where it exists, so that 3.11+ behaves exactly as
it would without this module.
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
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


__all__ = ["StrEnum", "add_alias_positions", "pairwise", "tomllib"]


def add_alias_positions(tree: ast.AST, lines: list[str]) -> None:
    """Give each import's ``alias`` nodes the positions Python 3.10+ records.

    Python 3.9's parser leaves ``import a.b as c`` names without ``lineno`` and columns;
    rules report and fix at those names, so they are found again in the tokens here.
    """
    if sys.version_info >= (3, 10):
        return
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            _place_aliases(node, lines)


def _place_aliases(node: ast.Import | ast.ImportFrom, lines: list[str]) -> None:
    first, last = node.lineno, node.end_lineno or node.lineno
    start_line = lines[first - 1]
    # ast columns are UTF-8 bytes, tokenize's are code points.
    start_char = len(start_line.encode("utf-8")[: node.col_offset].decode("utf-8", "replace"))
    text = " " * start_char + start_line[start_char:] + "".join(lines[first:last])
    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(text).readline)
            if t.type in (tokenize.NAME, tokenize.OP)
        ]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return
    # Past the keyword that precedes the names: "import" (also in "from m import").
    index = next((i for i, t in enumerate(tokens) if t.string == "import"), len(tokens)) + 1
    if index < len(tokens) and tokens[index].string == "(":
        index += 1

    def byte_column(row: int, column: int) -> int:
        return len(lines[first + row - 2][:column].encode("utf-8"))

    for alias in node.names:
        if index >= len(tokens):
            return
        begin = tokens[index]
        index += 1
        while index + 1 < len(tokens) and tokens[index].string == ".":
            index += 2
        if index + 1 < len(tokens) and tokens[index].string == "as":
            index += 2
        end = tokens[index - 1]
        alias.lineno = first + begin.start[0] - 1
        alias.col_offset = byte_column(*begin.start)
        alias.end_lineno = first + end.end[0] - 1
        alias.end_col_offset = byte_column(*end.end)
        if index < len(tokens) and tokens[index].string == ",":
            index += 1
