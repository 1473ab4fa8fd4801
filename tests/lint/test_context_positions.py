"""``Context.position``: what it builds without ``Position.__init__`` is a ``Position``."""

from __future__ import annotations

import ast
import dataclasses

from lint_plugin.context import Context
from lint_plugin.model import Position
from lint_plugin.settings import Settings


def context(source: str) -> Context:
    return Context(ast.parse(source), source, Settings())


def test_an_ascii_position_is_a_position_in_every_way() -> None:
    built = context("import websockets\n").position(3, 4)
    assert type(built) is Position
    assert built == Position(3, 4) and hash(built) == hash(Position(3, 4))
    assert Position(3, 3) < built < Position(3, 5) and built <= Position(4, 0)
    assert dataclasses.asdict(built) == {"line": 3, "column": 4}
    assert dataclasses.replace(built, column=0) == Position(3, 0)
    assert repr(built) == "Position(line=3, column=4)"


def test_a_column_after_non_ascii_text_counts_code_points() -> None:
    ctx = context('x = "é"; import websockets\n')
    assert ctx.position(1, 10) == Position(1, 9)
