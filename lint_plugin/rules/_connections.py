"""Attribute accesses on websockets connections, shared by the WSU2xx rules."""

from __future__ import annotations

import ast
from typing import cast

from lint_plugin.context import Context


def connection_attributes(ctx: Context) -> list[ast.Attribute]:
    """Every ``conn.attr`` where ``conn`` is known to be a websockets connection."""
    cached = ctx.cache.get("connection_attributes")
    if cached is not None:
        return cast(list[ast.Attribute], cached)
    found = [
        node
        for node in ast.walk(ctx.tree)
        if isinstance(node, ast.Attribute) and ctx.model.is_connection(node.value)
    ]
    ctx.cache["connection_attributes"] = found
    return found
