"""Where a value of a given exception class flows: except clauses, ``isinstance``
narrowing and parameters annotated with the class; and dotted names inside string
annotations, which the tree holds only as text."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import cast

from lint_plugin.astwalk import walk
from lint_plugin.context import Context
from lint_plugin.model import Diagnostic, Position, Requirement
from lint_plugin.rules._connections import caught_attributes
from lint_plugin.rules._edits import in_annotation
from lint_plugin.scopes import lookup
from lint_plugin.semantic import QualifiedName
from lint_plugin.semantic.syntax import isinstance_test


@dataclass(frozen=True)
class StringChain:
    """``websockets.exceptions.X`` written inside a string annotation."""

    literal: ast.Constant
    qualname: QualifiedName
    text: str
    """The chain as written in the string."""
    span: tuple[Position, Position] | None
    """Where ``text`` is in the source; ``None`` when the literal is written with escapes or
    implicit concatenation, so that its text is not its value."""

    @property
    def path(self) -> str:
        """Canonical path without the root: ``exceptions.InvalidStatusCode``."""
        return self.qualname.canonical.partition(".")[2]


def string_chains(ctx: Context) -> list[StringChain]:
    """Every attribute chain naming a websockets object inside a string annotation."""
    cached = ctx.cache.get("string_chains")
    if cached is not None:
        return cast(list[StringChain], cached)
    found: list[StringChain] = []
    for node in ctx.model.nodes_of(ast.Constant):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if "." not in node.value or not in_annotation(ctx, node):
            continue
        value = node.value
        stripped = value.strip()
        try:
            parsed = ast.parse(stripped, mode="eval")
        except SyntaxError:
            continue  # not an expression: nothing a type checker would resolve
        content = _content_start(ctx, node)
        lead = len(value) - len(value.lstrip())
        for sub in walk(parsed):
            if not isinstance(sub, ast.Attribute):
                continue
            qualname = _resolve(ctx, node, sub)
            if qualname is None:
                continue
            start = lead + _offset(stripped, sub.lineno, sub.col_offset)
            end = lead + _offset(stripped, sub.end_lineno or 1, sub.end_col_offset or 0)
            span = None
            if content is not None:
                span = (_advance(content, value[:start]), _advance(content, value[:end]))
            found.append(StringChain(node, qualname, value[start:end], span))
    ctx.cache["string_chains"] = found
    return found


def _resolve(ctx: Context, literal: ast.Constant, expr: ast.expr) -> QualifiedName | None:
    """What a name parsed from ``literal`` refers to, looked up where the literal is."""
    if isinstance(expr, ast.Attribute):
        base = _resolve(ctx, literal, expr.value)
        return None if base is None else QualifiedName(f"{base.canonical}.{expr.attr}", base.root)
    if not isinstance(expr, ast.Name):
        return None
    scope = ctx.model.scope_of(literal)
    binding = lookup(scope, expr.id, (literal.lineno, literal.col_offset))
    if binding is None:
        return None
    if binding.kind == "import" and binding.imported:
        return ctx.model.canonical(binding.imported)
    # An alias assigned once (``ws = websockets``): its target resolves like any other name.
    return ctx.qualified_name(binding.node) if isinstance(binding.node, ast.Name) else None


def _content_start(ctx: Context, literal: ast.Constant) -> Position | None:
    """Where the literal's value starts in the source, if it is written as is."""
    text = ctx.text(literal)
    prefix = len(text) - len(text.lstrip("rRuU"))
    quote = (
        text[prefix : prefix + 3] if text[prefix : prefix + 3] in ('"""', "'''") else text[prefix]
    )
    if text[prefix + len(quote) : len(text) - len(quote)] != literal.value:
        return None
    start = ctx.start(literal)
    return Position(start.line, start.column + prefix + len(quote))


def _offset(text: str, line: int, byte_col: int) -> int:
    """The index in ``text`` of an ast position (1-based line, UTF-8 byte column)."""
    lines = text.split("\n")
    before = sum(len(each) + 1 for each in lines[: line - 1])
    return before + len(lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8", "replace"))


def _advance(start: Position, text: str) -> Position:
    """The position reached from ``start`` after ``text``."""
    if "\n" not in text:
        return Position(start.line, start.column + len(text))
    return Position(start.line + text.count("\n"), len(text) - text.rfind("\n") - 1)


def _names_class(ctx: Context, node: ast.expr, classes: frozenset[str]) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            parsed = ast.parse(node.value.strip(), mode="eval").body
        except SyntaxError:
            return False
        qualname = _resolve(ctx, node, parsed)
        return qualname is not None and qualname.canonical in classes
    if isinstance(node, ast.Tuple):
        return any(_names_class(ctx, elt, classes) for elt in node.elts)
    qualname = ctx.qualified_name(node)
    return qualname is not None and qualname.canonical in classes


def _reads(
    scope: Sequence[ast.AST] | ast.AST, name: str, attrs: set[str]
) -> Iterator[ast.Attribute]:
    roots = [scope] if isinstance(scope, ast.AST) else scope
    for root in roots:
        for node in walk(root):
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
    for node in ctx.model.nodes_of(ast.If, ast.BoolOp, ast.FunctionDef, ast.AsyncFunctionDef):
        if isinstance(node, (ast.If, ast.BoolOp)):
            # ``if isinstance(x, C):`` narrows its body; ``isinstance(x, C) and ...`` the
            # operands after it (``if`` tests included).
            narrowed: list[tuple[ast.expr, Sequence[ast.AST]]] = []
            if isinstance(node, ast.If):
                narrowed.append((node.test, node.body))
            elif isinstance(node.op, ast.And):
                narrowed += [(test, node.values[i + 1 :]) for i, test in enumerate(node.values)]
            for test, body in narrowed:
                name = _instance_of(ctx, test, classes)
                if name is None:
                    continue
                for read in _reads(body, name, attributes):
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


def _instance_of(ctx: Context, test: ast.expr, classes: frozenset[str]) -> str | None:
    """The name ``isinstance(name, C)`` tests against one of ``classes``."""
    tested = isinstance_test(test)
    if tested is not None and _names_class(ctx, tested[1], classes):
        return tested[0]
    return None


def _assigns(function: ast.AST, name: str) -> bool:
    return any(
        isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
        for n in walk(function)
    )


def mentioned_in_strings(ctx: Context, name: str) -> bool:
    """Does a string that reads as code (a string annotation, an ``__all__`` entry) name
    ``name``? Prose, such as a docstring, does not count."""
    for node in ctx.model.nodes_of(ast.Constant):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if name not in node.value:
            continue
        try:
            parsed = ast.parse(node.value.strip(), mode="eval")
        except SyntaxError:
            continue
        if any(isinstance(n, ast.Name) and n.id == name for n in walk(parsed)):
            return True
    return False


def with_requirement(diagnostic: Diagnostic, requires: Requirement) -> Diagnostic:
    """Say which implementation the diagnostic's fix needs (see ``lint_plugin.units``)."""
    if diagnostic.fix is None or not diagnostic.fix.edits:
        return diagnostic
    return diagnostic.replaced(fix=diagnostic.fix.replaced(requires=requires))
