"""WSU201 connection-open."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._state import check_state_attribute
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU201",
    name="connection-open",
    summary="`open` attribute of a connection, removed in the new implementation",
    message="`{conn}.open` does not exist in the new implementation; use `{new}` "
    "(or call and handle `ConnectionClosed`)",
    fix_title="Replace with `{new}`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0 (not in the new implementation, 13.0+)",
    fix_from=(13, 0),
    example_flagged_at=(5, 11),
    what_it_does=(
        "Checks for the `open` attribute of a websockets connection. "
        "Connections of the threading implementation (`websockets.sync`: `with connect(...)`, "
        "`connect(...)`, `for ws in reconnect(...)`, `serve()` handlers, annotations) are "
        "checked too: they have the new API."
    ),
    why_bad=(
        "The new implementation has no `open` property; reading it raises `AttributeError`. "
        "Checking it was discouraged anyway: the connection may close right after the check. "
        "Prefer calling `recv()` / `send()` and handling `ConnectionClosed`; if you must test "
        "the state, compare `connection.state` with `State.OPEN`."
    ),
    example=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765") as websocket:\n'
        "        if websocket.open:\n"
        '            await websocket.send("ping")\n'
    ),
    use_instead=(
        "from websockets.asyncio.client import connect\n"
        "from websockets.protocol import State\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765") as websocket:\n'
        "        if websocket.state is State.OPEN:\n"
        '            await websocket.send("ping")\n'
    ),
    fix_safety=(
        "Unsafe: the legacy `open` was also false once the connection's data transfer task had "
        "ended, a moment before the state changed, so the two tests can differ while the "
        "connection closes. The fix adds `from websockets.protocol import State` once, or "
        "reuses an existing import. Assignments to the attribute, and modules where `State` "
        "already names something else, get a hint only."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    return check_state_attribute(ctx, SPEC, "open", "OPEN")


RULE = Rule(SPEC, check)
