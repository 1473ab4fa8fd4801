"""WSU203 connection-path."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._moved_attribute import check_moved_attribute
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU203",
    name="connection-path",
    summary="`path` attribute of a connection, replaced by `request.path`",
    message="`{conn}.path` does not exist in the new implementation; use `{new}`",
    fix_title="Replace with `{new}`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0 (not in the new implementation, 13.0+)",
    fix_from=(13, 0),
    example_flagged_at=(4, 11),
    what_it_does=(
        "Checks for the `path` attribute of a websockets connection. "
        "Connections of the threading implementation (`websockets.sync`: `with connect(...)`, "
        "`connect(...)`, `for ws in reconnect(...)`, `serve()` handlers, annotations) are "
        "checked too: they have the new API."
    ),
    why_bad=(
        "The new implementation exposes the opening handshake as `connection.request` (an "
        "`http11.Request`); the request path is `connection.request.path`. Reading `path` "
        "raises `AttributeError`."
    ),
    example=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "async def handler(websocket):\n"
        '    room = websocket.path.strip("/")\n'
        "    await websocket.send(room)\n"
        "\n"
        "async def main():\n"
        '    async with serve(handler, "localhost", 8765):\n'
        "        pass\n"
    ),
    use_instead=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "async def handler(websocket):\n"
        '    room = websocket.request.path.strip("/")\n'
        "    await websocket.send(room)\n"
        "\n"
        "async def main():\n"
        '    async with serve(handler, "localhost", 8765):\n'
        "        pass\n"
    ),
    fix_safety=(
        "Unsafe: legacy connections have no `request` attribute, so the fix is right only once "
        "the connection comes from the new implementation (apply it together with the import "
        "fixes). Assignments to the attribute get a hint only."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    return check_moved_attribute(ctx, SPEC, "path", "request.path")


RULE = Rule(SPEC, check)
