"""Tree walks without ``ast``'s generator layers: every rule and model layer walks
subtrees, ~500,000 nodes per MB of source.

The walks skip what no analysis looks at: the ``Load`` / ``Store`` / ``Del`` contexts and
the operators (shared singletons without a position, read as ``node.ctx`` / ``node.op``;
a third of a module's nodes), and fields that never hold a node (``Name.id``,
``Constant.value``, ...), so that no ``getattr`` / ``isinstance`` is spent on them.
"""

from __future__ import annotations

import ast
import re
import sys

#: ASDL types of the fields that never hold a node worth walking.
_LEAF_TYPES = frozenset(
    {
        "identifier",
        "string",
        "constant",
        "int",
        "expr_context",
        "operator",
        "boolop",
        "unaryop",
        "cmpop",
    }
)
_SIGNATURE_RE = re.compile(r"(\w+)\((.*)\)$")
_SINGLETONS = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)


def _node_fields(cls: type[ast.AST]) -> tuple[str, ...] | None:
    """The fields of ``cls`` that may hold nodes, read from the ASDL signature CPython
    gives each node class as its docstring; ``None`` when it cannot be read."""
    if not cls._fields:
        return ()
    match = _SIGNATURE_RE.match((cls.__doc__ or "").strip())
    if match is None or match.group(1) != cls.__name__:
        return None
    fields = []
    for declaration in match.group(2).split(","):
        kind, _, name = declaration.strip().rpartition(" ")
        if name not in cls._fields:
            return None
        if kind.rstrip("?*") not in _LEAF_TYPES:
            fields.append(name)
    return tuple(fields)


NODE_FIELDS: dict[type, tuple[str, ...]] = {}
"""Node class -> its fields that may hold nodes; a class missing here has every field
tested (``_checked_children``)."""
for _cls in vars(ast).values():
    if isinstance(_cls, type) and issubclass(_cls, ast.AST):
        _known = _node_fields(_cls)
        if _known is not None:
            NODE_FIELDS[_cls] = _known


def _checked_children(node: ast.AST) -> list[ast.AST]:
    """The children of a node whose class is missing from ``NODE_FIELDS``."""
    found: list[ast.AST] = []
    for name in node._fields:
        value = getattr(node, name, None)
        for item in value if value.__class__ is list else (value,):
            if isinstance(item, ast.AST) and not isinstance(item, _SINGLETONS):
                found.append(item)
    return found


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """``ast.iter_child_nodes`` as a list, without the contexts and operators."""
    names = NODE_FIELDS.get(node.__class__)
    if names is None:
        return _checked_children(node)
    found: list[ast.AST] = []
    append = found.append
    for name in names:
        value = getattr(node, name, None)
        if value.__class__ is list:
            for item in value:
                # ``Dict.keys`` and ``arguments.kw_defaults`` hold ``None`` for gaps.
                if item is not None:
                    append(item)
        elif value is not None:
            append(value)
    return found


def walk(node: ast.AST) -> list[ast.AST]:
    """``ast.walk``'s nodes in its order (breadth first), as a list, without the contexts
    and operators."""
    found = [node]
    append = found.append
    fields = NODE_FIELDS
    # A list iterated while it grows: each node's children join the end of the queue.
    for current in found:
        names = fields.get(current.__class__)
        if names is None:
            found.extend(_checked_children(current))
            continue
        for name in names:
            value = getattr(current, name, None)
            if value.__class__ is list:
                for item in value:
                    if item is not None:
                        append(item)
            elif value is not None:
                append(value)
    return found


#: What holds statements. ``match`` exists from Python 3.10.
_BLOCK_NODES: tuple[type[ast.AST], ...] = (ast.stmt, ast.excepthandler) + (
    (ast.match_case,) if sys.version_info >= (3, 10) else ()
)


def block_children(node: ast.AST) -> list[ast.AST]:
    """The children of ``node`` that are statements or hold statements (``except`` and
    ``case`` clauses), in ``ast.iter_child_nodes`` order: a search for statements skips
    the expressions, which hold none."""
    return [child for child in child_nodes(node) if isinstance(child, _BLOCK_NODES)]
