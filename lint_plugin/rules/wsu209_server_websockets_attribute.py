"""WSU209 server-websockets-attribute."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._connections import attributes_named
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU209",
    name="server-websockets-attribute",
    summary="`websockets` attribute of a server, replaced by `connections`",
    message="`{server}.websockets` is the legacy server's set of connections; use `{new}`",
    fix_title="Replace with `{new}`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0 (the new server has `connections` since 13.1)",
    fix_from=(13, 1),
    example_flagged_at=(9, 27),
    what_it_does=(
        "Checks for the `websockets` attribute of the server `serve()` starts: bound by "
        "`async with serve(...) as server`, `server = await serve(...)`, "
        "`loop.run_until_complete(serve(...))` (also through a variable), an attribute "
        "assigned from one of those, or annotated with `WebSocketServer` or `Server`. The "
        "connections it holds are connections for the WSU2xx rules (`for ws in "
        "server.websockets: ws.open`)."
    ),
    why_bad=(
        "The legacy `WebSocketServer` keeps its open connections in `websockets`, a set "
        "that is not documented but widely used; the new `Server` has no such attribute and "
        "exposes them as the `connections` property. Reading `websockets` raises "
        "`AttributeError` once the server comes from the new implementation."
    ),
    example=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "async def handler(websocket):\n"
        "    await websocket.wait_closed()\n"
        "\n"
        "async def main():\n"
        '    async with serve(handler, "localhost", 8765) as server:\n'
        "        await server.serve_forever()\n"
        '        print("open:", len(server.websockets))\n'
    ),
    use_instead=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "async def handler(websocket):\n"
        "    await websocket.wait_closed()\n"
        "\n"
        "async def main():\n"
        '    async with serve(handler, "localhost", 8765) as server:\n'
        "        await server.serve_forever()\n"
        '        print("open:", len(server.connections))\n'
    ),
    fix_safety=(
        "Unsafe: the legacy server has no `connections`, so the fix is right only once the "
        "server comes from the new implementation (it is applied together with the fixes "
        "that move its `serve()` call). Assignments to the attribute get a hint only."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    is_server = ctx.model.is_server
    for node in attributes_named(ctx, ("websockets",)):
        if not is_server(node.value):
            continue
        server = ctx.text(node.value)
        new = f"{server}.connections"
        yield ctx.diagnostic(
            SPEC,
            node,
            SPEC.message.format(server=server, new=new),
            fix_title=SPEC.fix_title.format(new=new),
            edits=[ctx.replace(node, new)] if isinstance(node.ctx, ast.Load) else (),
            applicability=Applicability.UNSAFE,
        )


RULE = Rule(SPEC, check)
