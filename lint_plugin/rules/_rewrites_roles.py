"""Which side of a connection a name holds: the server's (a handler's connection) or the
client's (what ``connect()`` opened)."""

from __future__ import annotations

import ast
from typing import Literal

from lint_plugin.context import Context
from lint_plugin.scopes import positional_params

Role = Literal["server", "client"]


def connection_role(ctx: Context, expr: ast.expr) -> Role | None:
    """The side ``expr`` (a plain name) is known to hold, else ``None``."""
    if not isinstance(expr, ast.Name):
        return None
    binding = ctx.model.binding_of(expr)
    if binding is None or len(binding.scope.bindings.get(binding.name, ())) != 1:
        return None
    if isinstance(binding.node, ast.arg):
        return "server" if _is_handler_param(ctx, binding.node) else None
    parent = ctx.model.parent(binding.node)
    opened: ast.expr | None = None
    if isinstance(parent, ast.withitem) and parent.optional_vars is binding.node:
        opened = parent.context_expr
    elif isinstance(parent, ast.AsyncFor) and parent.target is binding.node:
        opened = parent.iter
    elif isinstance(parent, ast.Assign) and binding.value is not None:
        value = binding.value
        opened = value.value if isinstance(value, ast.Await) else None
    if isinstance(opened, ast.Call):
        for site in ctx.model.call_sites:
            if site.node is opened and site.family == "connect":
                return "client"
    return None


def _is_handler_param(ctx: Context, arg: ast.arg) -> bool:
    for callback in ctx.model.callbacks:
        if callback.role != "handler":
            continue
        params = positional_params(callback.target.function.args)[callback.target.skip :]
        if params and params[0] is arg:
            return True
    return False
