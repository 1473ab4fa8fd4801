"""Shared check for WSU201 / WSU202: ``conn.open`` / ``conn.closed`` -> ``conn.state``."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic
from lint_plugin.rules._connections import connection_attributes
from lint_plugin.rules._edits import needs_parens
from lint_plugin.spec import RuleSpec


def check_state_attribute(
    ctx: Context, spec: RuleSpec, attr: str, state: str
) -> Iterator[Diagnostic]:
    for node in connection_attributes(ctx, (attr,)):
        conn = ctx.text(node.value)
        new = f"{conn}.state is State.{state}"
        if not isinstance(node.ctx, ast.Load):
            yield ctx.diagnostic(
                spec,
                node,
                spec.message.format(conn=conn, new=new),
                applicability=Applicability.DISPLAY_ONLY,
            )
            continue
        imported = ctx.import_edit("protocol", "State")
        if imported is None:  # ``State`` means something else in this module
            yield ctx.diagnostic(
                spec,
                node,
                spec.message.format(conn=conn, new=new),
                applicability=Applicability.DISPLAY_ONLY,
            )
            continue
        state_name, import_edit = imported
        parent = ctx.model.parent(node)
        target: ast.AST = node
        if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
            target = parent
            replacement = f"{conn}.state is not {state_name}.{state}"
            if needs_parens(ctx, parent):
                replacement = f"({replacement})"
        else:
            replacement = f"{conn}.state is {state_name}.{state}"
            if needs_parens(ctx, node):
                replacement = f"({replacement})"
        edits = [ctx.replace(target, replacement)]
        if import_edit is not None:
            edits.append(import_edit)
        yield ctx.diagnostic(
            spec,
            node,
            spec.message.format(conn=conn, new=new),
            fix_title=spec.fix_title.format(new=new),
            edits=edits,
            applicability=Applicability.UNSAFE,
        )
