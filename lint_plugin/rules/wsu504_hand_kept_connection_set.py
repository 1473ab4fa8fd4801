"""WSU504 hand-kept-connection-set."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Diagnostic, FixAvailability
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU504",
    name="hand-kept-connection-set",
    summary="A set of connections kept by hand to broadcast to",
    message="`{name}` keeps track of open connections by hand; the new server's "
    "`server.connections` already does",
    fix_title="Use `server.connections`",
    fix_availability=FixAvailability.NONE,
    applicability=None,
    deprecated_in="13.1 (`Server.connections`)",
    fix_from=(13, 1),
    flags_deprecated_api=False,
    example_flagged_at=(3, 0),
    default_enabled=False,
    what_it_does=(
        "Checks for a module-level set to which connection handlers add their connection and "
        "from which they remove it."
    ),
    why_bad=(
        "The legacy server offered no list of its connections, so applications kept one to "
        "broadcast to. The new `Server.connections` is the set of open connections; "
        "`broadcast(server.connections, message)` replaces the bookkeeping and cannot leak a "
        "connection when a handler forgets to remove it."
    ),
    example=(
        "from websockets.asyncio.server import broadcast, serve\n"
        "\n"
        "CLIENTS = set()\n"
        "\n"
        "async def handler(websocket):\n"
        "    CLIENTS.add(websocket)\n"
        "    try:\n"
        "        await websocket.wait_closed()\n"
        "    finally:\n"
        "        CLIENTS.remove(websocket)\n"
        "\n"
        "async def main():\n"
        '    async with serve(handler, "localhost", 8765):\n'
        '        broadcast(CLIENTS, "hello")\n'
    ),
    use_instead=(
        "from websockets.asyncio.server import broadcast, serve\n"
        "\n"
        "async def handler(websocket):\n"
        "    await websocket.wait_closed()\n"
        "\n"
        "async def main():\n"
        '    async with serve(handler, "localhost", 8765) as server:\n'
        '        broadcast(server.connections, "hello")\n'
    ),
    fix_safety="No fix: the set may serve other purposes (rooms, per-user lookups).",
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    model = ctx.model
    for statement in ctx.tree.body:
        if not isinstance(statement, (ast.Assign, ast.AnnAssign)):
            continue
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        value = statement.value
        if not _is_empty_set(value):
            continue
        for target in targets:
            if not isinstance(target, ast.Name) or not model.is_connection_container(target.id):
                continue
            if _removes_connection(ctx, target.id):
                yield ctx.diagnostic(
                    SPEC, statement, SPEC.message.format(name=target.id), end_node=target
                )


def _is_empty_set(value: ast.expr | None) -> bool:
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id in {"set", "WeakSet"}
        and not value.args
    ) or (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "WeakSet"
        and not value.args
    )


def _removes_connection(ctx: Context, name: str) -> bool:
    for node in ctx.nodes:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"remove", "discard"}
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == name
            and node.args
            and ctx.model.is_connection(node.args[0])
        ):
            return True
    return False


RULE = Rule(SPEC, check)
