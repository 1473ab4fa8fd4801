"""Which statements are docstrings (a module's, a class's or a function's first one)."""

from __future__ import annotations

import ast


def is_docstring(stmt: ast.stmt) -> bool:
    """A string literal standing alone: the body's docstring when it comes first."""
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )
