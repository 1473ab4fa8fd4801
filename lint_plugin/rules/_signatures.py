"""Rewriting a legacy callback's parameters to the new ``(connection, ...)`` signature."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin.astwalk import block_children, walk
from lint_plugin.context import Context
from lint_plugin.model import Edit
from lint_plugin.rules._edits import references
from lint_plugin.scopes import positional_params
from lint_plugin.semantic import Callback, FunctionNode


def callback_params(callback: Callback) -> list[ast.arg]:
    """The parameters the server fills, after ``self`` and ``partial`` arguments."""
    return positional_params(callback.target.function.args)[callback.target.skip :]


def own_returns(function: FunctionNode) -> Iterator[ast.Return]:
    """``return`` statements of ``function`` itself, not of nested functions."""
    stack: list[ast.AST] = block_children(function)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return):
            yield node
        stack.extend(block_children(node))


def can_rename(
    ctx: Context,
    function: FunctionNode,
    params: list[ast.arg],
    new_names: tuple[str, ...],
    uses: dict[str, str | None],
) -> bool:
    """Whether ``rename_params`` would succeed, without building its edits."""
    taken = {n.id for n in walk(function) if isinstance(n, ast.Name)}
    if any(new in taken and new not in {p.arg for p in params} for new in new_names):
        return False
    scope = ctx.model.scopes[id(function)]
    for param in params:
        bindings = scope.bindings.get(param.arg, [])
        if len(bindings) != 1:
            return False
        if uses.get(param.arg) is None and references(ctx, bindings[0]):
            return False
    return True


def rename_params(
    ctx: Context,
    function: FunctionNode,
    params: list[ast.arg],
    new_names: tuple[str, ...],
    uses: dict[str, str | None],
    annotated: dict[str, ast.arg] | None = None,
) -> list[Edit] | None:
    """Replace ``params`` with ``new_names`` and each read of a parameter with ``uses[name]``.

    ``uses[name] = None`` means the parameter must not be read at all; ``annotated`` maps a
    new name to the old parameter whose annotation it keeps. Returns ``None`` when the
    rewrite would be unsound (a new name already in use, a parameter reassigned).
    """
    if not can_rename(ctx, function, params, new_names, uses):
        return None
    scope = ctx.model.scopes[id(function)]
    kept = annotated or {}
    signature = ", ".join(
        f"{new}: {ctx.text(ann)}"
        if new in kept and (ann := kept[new].annotation) is not None
        else new
        for new in new_names
    )
    edits = [Edit(ctx.start(params[0]), ctx.end(params[-1]), signature)]
    for param in params:
        replacement = uses.get(param.arg)
        if replacement is not None and replacement != param.arg:
            refs = references(ctx, scope.bindings[param.arg][0])
            edits.extend(ctx.replace(ref, replacement) for ref in refs)
    return edits
