"""Shared check for WSU203-WSU205: an attribute that moved under ``request`` / ``response``."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic
from lint_plugin.rules._connections import connection_attributes
from lint_plugin.spec import RuleSpec


def check_moved_attribute(
    ctx: Context, spec: RuleSpec, attr: str, new_attr: str
) -> Iterator[Diagnostic]:
    for node in connection_attributes(ctx, (attr,)):
        conn = ctx.text(node.value)
        new = f"{conn}.{new_attr}"
        writable = isinstance(node.ctx, ast.Load)
        yield ctx.diagnostic(
            spec,
            node,
            spec.message.format(conn=conn, new=new),
            fix_title=spec.fix_title.format(new=new),
            edits=[ctx.replace(node, new)] if writable else (),
            applicability=Applicability.UNSAFE,
        )
