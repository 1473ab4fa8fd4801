"""What replaces the server's list in a legacy ``select_subprotocol``.

The legacy server passed its ``subprotocols`` as the second argument; the new one does
not. The list is the ``subprotocols=`` value given to the ``serve()`` calls using the
function: a name the function can see as it is, or a literal moved into a module
constant that both the call and the function use.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from lint_plugin.astwalk import walk
from lint_plugin.context import Context
from lint_plugin.model import Edit, Position
from lint_plugin.semantic import FunctionNode

CONSTANT_NAME = "SUBPROTOCOLS"


@dataclass(frozen=True)
class ServerList:
    """How the function spells the server's list, and the edits that make it visible."""

    text: str
    edits: tuple[Edit, ...] = ()


def server_list(ctx: Context, function: FunctionNode) -> ServerList | None:
    """The ``subprotocols=`` value shared by every ``serve()`` passing ``function`` as its
    ``select_subprotocol``, as the function can name it; ``None`` when there is none or
    several, or the function cannot see it."""
    values: list[ast.expr] = []
    for callback in ctx.model.callbacks:
        if callback.role != "select_subprotocol" or callback.target.function is not function:
            continue
        if callback.site is None:
            return None
        keywords = callback.site.node.keywords
        if any(k.arg is None for k in keywords):
            return None  # ``**options`` might hold it
        found = [k.value for k in keywords if k.arg == "subprotocols"]
        if len(found) != 1:
            return None
        values.append(found[0])
    if not values or len({ast.dump(v) for v in values}) != 1:
        return None
    value = values[0]
    if isinstance(value, ast.Name):
        binding = ctx.model.binding_of(value)
        if binding is None or binding.scope is not ctx.model.module_scope:
            return None
        if len(binding.scope.bindings.get(value.id, ())) != 1 or _shadowed(function, value.id):
            return None
        return ServerList(value.id)
    if len(values) != 1 or not isinstance(value, (ast.List, ast.Tuple)):
        return None
    if any(not isinstance(elt, ast.Constant) for elt in value.elts):
        return None
    # A literal: moved into a module constant, defined before the function.
    if ctx.model.parent(function) is not ctx.tree:
        return None
    name = CONSTANT_NAME
    used = ctx.used_names()
    while name in used or ctx.binds(name):
        name += "_"
    anchor = function.lineno
    for decorator in getattr(function, "decorator_list", []):
        anchor = min(anchor, decorator.lineno)
    definition = Edit.insertion(Position(anchor, 0), f"{name} = {ctx.text(value)}\n\n\n")
    return ServerList(name, (definition, ctx.replace(value, name)))


def _shadowed(function: ast.AST, name: str) -> bool:
    return any(
        (isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store))
        or (isinstance(n, ast.arg) and n.arg == name)
        for n in walk(function)
    )
