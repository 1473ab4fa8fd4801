"""WSU406 timeout-argument."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._arguments import arguments, has_keyword, rename_edit
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU406",
    name="timeout-argument",
    summary="`timeout=` on `connect()` / `serve()` / a legacy protocol",
    message="`timeout` is deprecated since websockets 7.0; use `close_timeout=`",
    fix_title="Rename to `close_timeout=`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.SAFE,
    deprecated_in="7.0",
    fix_from=(7, 0),
    example_flagged_at=(4, 46),
    what_it_does=(
        "Checks for `timeout=` passed to `connect()`, `serve()` or a legacy protocol class. "
        "`timeout=` on other calls, such as `asyncio.wait_for()`, is not flagged."
    ),
    why_bad=(
        "The legacy implementation renamed `timeout` to `close_timeout` in 7.0 and warns; the "
        "new implementation passes an unknown `timeout` on to the event loop, which rejects it."
    ),
    example=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765", timeout=5) as websocket:\n'
        '        await websocket.send("hi")\n'
    ),
    use_instead=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765", close_timeout=5) as websocket:\n'
        '        await websocket.send("hi")\n'
    ),
    fix_safety=(
        "Safe: both implementations accept `close_timeout` with the meaning `timeout` had. "
        "When `close_timeout` is also given, the fix is left to the user."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for argument in arguments(ctx, "timeout", ("connect", "serve", "protocol")):
        conflict = has_keyword(ctx, argument.site, "close_timeout")
        edit = None if conflict else rename_edit(ctx, argument, "close_timeout")
        yield ctx.diagnostic(
            SPEC,
            argument.arg.node,
            SPEC.message,
            edits=[edit] if edit else (),
            applicability=Applicability.SAFE,
        )


RULE = Rule(SPEC, check)
