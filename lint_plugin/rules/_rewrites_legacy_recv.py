"""Dropping ``legacy_recv=True``: the reads that relied on ``recv()`` returning ``None``.

With ``legacy_recv=True``, ``recv()`` returns ``None`` once the connection is closed;
without it, it raises ``ConnectionClosed``. The usual read loop::

    message = await websocket.recv()
    if message is None:
        ...

becomes::

    try:
        message = await websocket.recv()
    except ConnectionClosed:
        ...

which is right on both implementations. It is done only when every use of the connection
is known: each ``recv()`` in that shape, the connection otherwise used only through its
attributes (``send``, ``close``, ...).
"""

from __future__ import annotations

import ast

from lint_plugin.context import Context
from lint_plugin.model import Edit, Position
from lint_plugin.rules._edits import references


def legacy_recv_edits(ctx: Context, call: ast.Call) -> list[Edit] | None:
    """Edits rewriting the reads of the connection ``call`` opens; ``None`` when its
    uses are not all known (the argument then gets a hint only)."""
    name = _connection_name(ctx, call)
    if name is None:
        return None
    binding = ctx.model.binding_made_by(name)
    if binding is None or len(binding.scope.bindings.get(binding.name, ())) != 1:
        return None
    edits: list[Edit] = []
    caught: str | None = None
    for ref in references(ctx, binding):
        attribute = ctx.model.parent(ref)
        if not isinstance(attribute, ast.Attribute):
            return None  # passed along or iterated: its reads are elsewhere
        if attribute.attr != "recv":
            continue
        if caught is None:
            imported = ctx.import_edit("exceptions", "ConnectionClosed")
            if imported is None:
                return None
            caught, import_edit = imported
            if import_edit is not None:
                edits.append(import_edit)
        edit = _read_loop_edit(ctx, attribute, caught)
        if edit is None:
            return None
        edits.append(edit)
    return edits


def _connection_name(ctx: Context, call: ast.Call) -> ast.Name | None:
    """The name ``async with connect(...) as name`` or ``name = await connect(...)`` binds."""
    parent = ctx.model.parent(call)
    if isinstance(parent, ast.withitem) and isinstance(parent.optional_vars, ast.Name):
        return parent.optional_vars
    if isinstance(parent, ast.Await):
        statement = ctx.model.parent(parent)
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            return statement.targets[0]
    return None


def _read_loop_edit(ctx: Context, attribute: ast.Attribute, caught: str) -> Edit | None:
    """``x = await conn.recv()`` then ``if x is None: ...``, as a ``try`` / ``except``."""
    call = ctx.model.parent(attribute)
    awaited = ctx.model.parent(call) if call is not None else None
    assign = ctx.model.parent(awaited) if awaited is not None else None
    if not (
        isinstance(call, ast.Call)
        and not call.args
        and not call.keywords
        and isinstance(awaited, ast.Await)
        and isinstance(assign, ast.Assign)
        and len(assign.targets) == 1
        and isinstance(assign.targets[0], ast.Name)
    ):
        return None
    target = assign.targets[0].id
    block = _block_of(ctx, assign)
    if block is None:
        return None
    index = block.index(assign)
    test = block[index + 1] if index + 1 < len(block) else None
    if not (isinstance(test, ast.If) and not test.orelse and _is_none_test(test.test, target)):
        return None
    start, end = ctx.start(assign), ctx.end(test)
    indent = ctx.lines[start.line - 1][: start.column]
    if indent.strip() or ctx.start(test).column != start.column:
        return None
    body_start = Position(test.body[0].lineno, 0)
    if test.body[0].lineno == test.lineno:
        return None  # ``if x is None: break`` on one line
    body = ctx.text_between(body_start, end)
    text = (
        f"try:\n{indent}    {ctx.text(assign)}\n{indent}except {caught}:\n"
        + "".join(f"{line}\n" for line in body.splitlines())
    ).rstrip("\n")
    return Edit(start, end, text)


def _block_of(ctx: Context, statement: ast.stmt) -> list[ast.stmt] | None:
    parent = ctx.model.parent(statement)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and statement in block:
            return block
    return None


def _is_none_test(test: ast.expr, name: str) -> bool:
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == name
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Is)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    )
