"""WSU202 connection-closed."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._state import check_state_attribute
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU202",
    name="connection-closed",
    summary="`closed` attribute of a connection, removed in the new implementation",
    message="`{conn}.closed` does not exist in the new implementation; use `{new}`",
    fix_title="Replace with `{new}`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0 (not in the new implementation, 13.0+)",
    fix_from=(13, 0),
    example_flagged_at=(2, 14),
    what_it_does=(
        "Checks for the `closed` attribute of a websockets connection. "
        "Connections of the threading implementation (`websockets.sync`: `with connect(...)`, "
        "`connect(...)`, `for ws in reconnect(...)`, `serve()` handlers, annotations) are "
        "checked too: they have the new API."
    ),
    why_bad=(
        "The new implementation has no `closed` property; reading it raises `AttributeError`. "
        "Compare `connection.state` with `State.CLOSED`, or wait for `wait_closed()`."
    ),
    example=(
        "async def handler(websocket):\n"
        "    while not websocket.closed:\n"
        '        await websocket.send("tick")\n'
        "\n"
        "async def main():\n"
        "    from websockets.asyncio.server import serve\n"
        '    async with serve(handler, "localhost", 8765):\n'
        "        pass\n"
    ),
    use_instead=(
        "from websockets.protocol import State\n"
        "\n"
        "async def handler(websocket):\n"
        "    while websocket.state is not State.CLOSED:\n"
        '        await websocket.send("tick")\n'
        "\n"
        "async def main():\n"
        "    from websockets.asyncio.server import serve\n"
        '    async with serve(handler, "localhost", 8765):\n'
        "        pass\n"
    ),
    fix_safety=(
        "Unsafe for the same reason as WSU201: the legacy property and the state can differ for "
        "a moment while the connection closes. The fix adds `from websockets.protocol import "
        "State` once, or reuses an existing import; `not conn.closed` becomes "
        "`conn.state is not State.CLOSED`. Assignments to the attribute, and modules where "
        "`State` already names something else, get a hint only."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    return check_state_attribute(ctx, SPEC, "closed", "CLOSED")


RULE = Rule(SPEC, check)
