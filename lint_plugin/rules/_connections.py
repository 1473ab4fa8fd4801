"""Attribute accesses on websockets connections, shared by the WSU2xx rules."""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterable, Iterator
from typing import cast

from lint_plugin.astwalk import walk
from lint_plugin.context import Context
from lint_plugin.model import Diagnostic
from lint_plugin.spec import RuleSpec


def attributes_named(ctx: Context, attrs: Collection[str]) -> list[ast.Attribute]:
    """Every ``x.attr`` with ``attr`` in ``attrs``, in ``ast.walk`` order."""
    # Attribute nodes by name, once per file: each rule tests only its own names.
    by_name = cast("dict[str, list[int]] | None", ctx.cache.get("attributes_by_name"))
    nodes = ctx.model.nodes_of(ast.Attribute)
    if by_name is None:
        by_name = {}
        for index, node in enumerate(nodes):
            by_name.setdefault(node.attr, []).append(index)  # type: ignore[attr-defined]
        ctx.cache["attributes_by_name"] = by_name
    indexes = [i for attr in set(attrs) for i in by_name.get(attr, ())]
    if len(attrs) > 1:
        indexes.sort()
    return cast(list[ast.Attribute], [nodes[i] for i in indexes])


def connection_attributes(ctx: Context, attrs: Collection[str]) -> list[ast.Attribute]:
    """Every ``conn.attr`` with ``attr`` in ``attrs`` where ``conn`` is known to be a
    websockets connection, in ``ast.walk`` order."""
    is_connection = ctx.model.is_connection
    return [node for node in attributes_named(ctx, attrs) if is_connection(node.value)]


def caught_attributes(
    ctx: Context, exceptions: frozenset[str], attributes: Iterable[str]
) -> Iterator[tuple[ast.ExceptHandler, ast.Attribute]]:
    """``exc.attr`` read where ``exc`` was bound by ``except <one of exceptions> as exc``."""
    wanted = set(attributes)
    for handler in ctx.model.nodes_of(ast.ExceptHandler):
        if not isinstance(handler, ast.ExceptHandler) or not handler.name:
            continue
        caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        if not any(
            (q := ctx.qualified_name(c)) is not None and q.canonical in exceptions
            for c in caught
            if c is not None
        ):
            continue
        for node in walk(handler):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in wanted
                and isinstance(node.value, ast.Name)
                and node.value.id == handler.name
                and isinstance(node.ctx, ast.Load)
            ):
                yield handler, node


def hinted_attributes(ctx: Context, spec: RuleSpec, hints: dict[str, str]) -> Iterator[Diagnostic]:
    """A hint-only diagnostic for each ``conn.attr`` with ``attr`` in ``hints``."""
    for node in connection_attributes(ctx, hints):
        conn = ctx.text(node.value)
        hint = hints[node.attr].format(conn=conn)
        yield ctx.diagnostic(
            spec,
            node,
            spec.message.format(conn=conn, attr=node.attr, hint=hint),
            fix_title=spec.fix_title.format(hint=hint),
        )
