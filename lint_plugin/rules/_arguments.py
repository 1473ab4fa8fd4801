"""Arguments of connect() / serve() calls, shared by the WSU4xx rules."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from lint_plugin.context import Context
from lint_plugin.model import Edit
from lint_plugin.rules._edits import remove_argument, rename_keyword, rename_string
from lint_plugin.semantic import CallSite, Family, KeywordArg


@dataclass(frozen=True)
class Argument:
    site: CallSite
    arg: KeywordArg


def arguments(ctx: Context, name: str, families: tuple[Family, ...]) -> Iterator[Argument]:
    """Arguments named ``name`` reaching calls of ``families``, incl. the ``super().__init__``
    of a legacy ``connect`` / ``serve`` subclass."""
    for site in [*ctx.model.call_sites, *ctx.model.inherited_call_sites]:
        if site.family not in families:
            continue
        for arg in ctx.model.keyword_args(site):
            if arg.name == name:
                yield Argument(site, arg)


def rename_edit(ctx: Context, argument: Argument, new: str) -> Edit | None:
    """Rename the argument where it is written: keyword, dict key or setdefault key."""
    node = argument.arg.node
    if isinstance(node, ast.keyword):
        return rename_keyword(ctx, node, new)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return rename_string(ctx, node, new)
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        return rename_string(ctx, node.args[0], new)
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return rename_string(ctx, node.slice, new)
    return None


def removal_edit(ctx: Context, argument: Argument) -> Edit | None:
    node = argument.arg.node
    if isinstance(node, ast.keyword) and argument.arg.via == "keyword":
        return remove_argument(ctx, argument.site.node, node)
    return None


def has_keyword(ctx: Context, site: CallSite, name: str) -> bool:
    return any(arg.name == name for arg in ctx.model.keyword_args(site))


def only_header(value: ast.expr | None, name: str) -> ast.expr | None:
    """The value of a dict literal whose only key is header ``name``."""
    if isinstance(value, ast.Dict) and len(value.keys) == 1:
        key = value.keys[0]
        if (
            isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and key.value.lower() == name
        ):
            return value.values[0]
    return None
