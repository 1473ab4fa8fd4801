"""Tree walks without ``ast``'s generator layers: every rule and model layer walks
subtrees, ~500,000 nodes per MB of source."""

from __future__ import annotations

import ast


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """``ast.iter_child_nodes`` as a list, without its generator layers (~2x as fast)."""
    found: list[ast.AST] = []
    append = found.append
    for name in node._fields:
        value = getattr(node, name, None)
        if value.__class__ is list:
            for item in value:
                if isinstance(item, ast.AST):
                    append(item)
        elif isinstance(value, ast.AST):
            append(value)
    return found


def walk(node: ast.AST) -> list[ast.AST]:
    """``ast.walk``'s nodes in its order (breadth first), as a list, ~2x as fast."""
    found = [node]
    append = found.append
    # A list iterated while it grows: each node's children join the end of the queue.
    for current in found:
        for name in current._fields:
            value = getattr(current, name, None)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, ast.AST):
                        append(item)
            elif isinstance(value, ast.AST):
                append(value)
    return found
