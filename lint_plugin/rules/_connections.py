"""Attribute accesses on websockets connections, shared by the WSU2xx rules."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import cast

from lint_plugin.astwalk import walk
from lint_plugin.context import Context
from lint_plugin.model import Diagnostic
from lint_plugin.spec import RuleSpec


def connection_attributes(ctx: Context) -> list[ast.Attribute]:
    """Every ``conn.attr`` where ``conn`` is known to be a websockets connection."""
    cached = ctx.cache.get("connection_attributes")
    if cached is not None:
        return cast(list[ast.Attribute], cached)
    found = [
        node
        for node in ctx.model.nodes_of(ast.Attribute)
        if isinstance(node, ast.Attribute) and ctx.model.is_connection(node.value)
    ]
    ctx.cache["connection_attributes"] = found
    return found


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
    for node in connection_attributes(ctx):
        if node.attr not in hints:
            continue
        conn = ctx.text(node.value)
        hint = hints[node.attr].format(conn=conn)
        yield ctx.diagnostic(
            spec,
            node,
            spec.message.format(conn=conn, attr=node.attr, hint=hint),
            fix_title=spec.fix_title.format(hint=hint),
        )
