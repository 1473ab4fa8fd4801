"""Node groups and small syntactic helpers the semantic layers share.

Tuples, not ``X | Y`` unions, in ``isinstance``: the linter runs on Python 3.9.
"""

from __future__ import annotations

import ast
from typing import Union

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]
DefNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]

DEF_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)
FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
#: What an optional import's ``except`` catches.
IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})
#: ``try`` statements (``try/except*`` exists from Python 3.11).
TRY_NODES: tuple[type[ast.AST], ...] = tuple(
    getattr(ast, name) for name in ("Try", "TryStar") if hasattr(ast, name)
)

Span = tuple[tuple[int, int], tuple[int, int]]


def span(node: ast.AST) -> Span:
    return (
        (node.lineno, node.col_offset),  # type: ignore[attr-defined]
        (node.end_lineno or node.lineno, node.end_col_offset or 0),  # type: ignore[attr-defined]
    )


def exits(body: list[ast.stmt]) -> bool:
    """Does the block end by leaving it (``return``, ``raise``, ``continue``, ``break``)?"""
    return bool(body) and isinstance(body[-1], (ast.Return, ast.Raise, ast.Continue, ast.Break))


def caught_names(expr: ast.expr | None) -> set[str]:
    """The exception names an ``except`` clause catches (``except (a.B, C)`` -> B, C)."""
    if expr is None:
        return set()
    if isinstance(expr, ast.Tuple):
        return set().union(*(caught_names(e) for e in expr.elts))
    if isinstance(expr, ast.Name):
        return {expr.id}
    if isinstance(expr, ast.Attribute):
        return {expr.attr}
    return set()


def isinstance_test(test: ast.expr) -> tuple[str, ast.expr] | None:
    """``(x, C)`` when ``test`` is ``isinstance(x, C)`` on a plain name."""
    if (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Name)
        and test.func.id == "isinstance"
        and len(test.args) == 2
        and isinstance(test.args[0], ast.Name)
    ):
        return test.args[0].id, test.args[1]
    return None


def decorator_names(function: ast.AST) -> set[str]:
    """``staticmethod``, ``classmethod``, ... as written on a def."""
    found: set[str] = set()
    for decorator in getattr(function, "decorator_list", ()):
        if isinstance(decorator, ast.Name):
            found.add(decorator.id)
        elif isinstance(decorator, ast.Attribute):
            found.add(decorator.attr)
    return found


def is_static(function: ast.AST) -> bool:
    return "staticmethod" in decorator_names(function)
