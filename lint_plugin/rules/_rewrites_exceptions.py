"""Where a value of a given exception class flows: except clauses, ``isinstance``
narrowing and parameters annotated with the class."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace

from lint_plugin.context import Context
from lint_plugin.model import Diagnostic, Requirement
from lint_plugin.rules._connections import caught_attributes


def _names_class(ctx: Context, node: ast.expr, classes: frozenset[str]) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            parsed = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return False
        # A string annotation: compare its dotted text with the names bound here.
        return _dotted(parsed) in _local_spellings(ctx, classes)
    if isinstance(node, ast.Tuple):
        return any(_names_class(ctx, elt, classes) for elt in node.elts)
    qualname = ctx.qualified_name(node)
    return qualname is not None and qualname.canonical in classes


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def _local_spellings(ctx: Context, classes: frozenset[str]) -> set[str]:
    """How the module spells the classes: the names its imports bind to them."""
    found = set()
    for node in ctx.nodes:
        if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(
            getattr(node, "ctx", None), ast.Load
        ):
            qualname = ctx.qualified_name(node)
            if qualname is not None and qualname.canonical in classes:
                spelled = _dotted(node)
                if spelled is not None:
                    found.add(spelled)
    for statement in ctx.nodes:
        if isinstance(statement, ast.ImportFrom) and statement.module:
            for alias in statement.names:
                qualname = ctx.model.canonical(f"{statement.module}.{alias.name}")
                if qualname is not None and qualname.canonical in classes:
                    found.add(alias.asname or alias.name)
    return found


def _reads(scope: list[ast.stmt] | ast.AST, name: str, attrs: set[str]) -> Iterator[ast.Attribute]:
    roots = scope if isinstance(scope, list) else [scope]
    for root in roots:
        for node in ast.walk(root):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in attrs
                and isinstance(node.value, ast.Name)
                and node.value.id == name
                and isinstance(node.ctx, ast.Load)
            ):
                yield node


def flowing_attributes(
    ctx: Context, classes: frozenset[str], attributes: set[str]
) -> Iterator[tuple[str, ast.Attribute]]:
    """``(name, name.attr)`` for each read of ``attr`` on a value known to be one of
    ``classes``: bound by ``except``, narrowed by ``isinstance``, or a parameter annotated
    with the class (the name is reassigned nowhere in the function)."""
    seen: set[int] = set()
    for handler, caught in caught_attributes(ctx, classes, attributes):
        seen.add(id(caught))
        yield str(handler.name), caught
    for node in ctx.nodes:
        if isinstance(node, ast.If):
            test = node.test
            if (
                isinstance(test, ast.Call)
                and isinstance(test.func, ast.Name)
                and test.func.id == "isinstance"
                and len(test.args) == 2
                and isinstance(test.args[0], ast.Name)
                and _names_class(ctx, test.args[1], classes)
            ):
                name = test.args[0].id
                for read in _reads(node.body, name, attributes):
                    if id(read) not in seen:
                        seen.add(id(read))
                        yield name, read
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            every = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            for arg in every:
                if arg.annotation is None or not _names_class(ctx, arg.annotation, classes):
                    continue
                if _assigns(node, arg.arg):
                    continue
                for read in _reads(node.body, arg.arg, attributes):
                    if id(read) not in seen:
                        seen.add(id(read))
                        yield arg.arg, read


def _assigns(function: ast.AST, name: str) -> bool:
    return any(
        isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
        for n in ast.walk(function)
    )


def mentioned_in_strings(ctx: Context, name: str) -> bool:
    """Does a string that reads as code (a string annotation, an ``__all__`` entry) name
    ``name``? Prose, such as a docstring, does not count."""
    for node in ctx.nodes:
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if name not in node.value:
            continue
        try:
            parsed = ast.parse(node.value.strip(), mode="eval")
        except SyntaxError:
            continue
        if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(parsed)):
            return True
    return False


def with_requirement(diagnostic: Diagnostic, requires: Requirement) -> Diagnostic:
    """Say which implementation the diagnostic's fix needs (see ``lint_plugin.units``)."""
    if diagnostic.fix is None or not diagnostic.fix.edits:
        return diagnostic
    return replace(diagnostic, fix=replace(diagnostic.fix, requires=requires))
