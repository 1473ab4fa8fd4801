"""WSU205 connection-response-headers."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._moved_attribute import check_moved_attribute
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU205",
    name="connection-response-headers",
    summary="`response_headers` attribute of a connection, replaced by `response.headers`",
    message="`{conn}.response_headers` does not exist in the new implementation; use `{new}`",
    fix_title="Replace with `{new}`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0 (not in the new implementation, 13.0+)",
    fix_from=(13, 0),
    example_flagged_at=(5, 14),
    what_it_does=(
        "Checks for the `response_headers` attribute of a websockets connection. "
        "Connections of the threading implementation (`websockets.sync`: `with connect(...)`, "
        "`connect(...)`, `for ws in reconnect(...)`, `serve()` handlers, annotations) are "
        "checked too: they have the new API."
    ),
    why_bad=(
        "The new implementation exposes the opening handshake as `connection.response` (an "
        "`http11.Response`); the response headers are "
        "`connection.response.headers`. Reading `response_headers` "
        "raises `AttributeError`."
    ),
    example=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765") as websocket:\n'
        '        print(websocket.response_headers["Server"])\n'
    ),
    use_instead=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765") as websocket:\n'
        '        print(websocket.response.headers["Server"])\n'
    ),
    fix_safety=(
        "Unsafe: legacy connections have no `request` attribute, so the fix is right only once "
        "the connection comes from the new implementation (apply it together with the import "
        "fixes). Assignments to the attribute get a hint only."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    return check_moved_attribute(ctx, SPEC, "response_headers", "response.headers")


RULE = Rule(SPEC, check)
