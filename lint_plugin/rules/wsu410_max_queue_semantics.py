"""WSU410 max-queue-semantics."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._arguments import arguments
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU410",
    name="max-queue-semantics",
    summary="`max_queue=` on a legacy call whose meaning changes in the new implementation",
    message="`max_queue={value}` counts messages in the legacy implementation (default 32) but "
    "frames in the new one (default 16, high-water mark); review the value when migrating",
    fix_title="Review `max_queue` (frames, not messages)",
    fix_availability=FixAvailability.NONE,
    applicability=Applicability.DISPLAY_ONLY,
    deprecated_in="14.0 (new meaning in the new implementation, 13.0+)",
    fix_from=(13, 0),
    flags_deprecated_api=False,
    example_flagged_at=(4, 46),
    what_it_does="Checks for `max_queue=` passed to a legacy `connect()` or `serve()`.",
    why_bad=(
        "In the legacy implementation `max_queue` is the number of incoming messages buffered "
        "(32 by default). In the new one it is the high-water mark of a buffer of incoming "
        "frames (16 by default; the low-water mark is a quarter of it). With fragmented "
        "messages the same number buffers much less."
    ),
    example=(
        "from websockets.legacy.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765", max_queue=64) as websocket:\n'
        "        await websocket.recv()\n"
    ),
    use_instead=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765", max_queue=64) as websocket:\n'
        "        await websocket.recv()\n"
    ),
    fix_safety=(
        "Display-only: only the author knows whether messages are fragmented. The rule looks "
        "at calls that still run the legacy implementation, so run `wsu check` before "
        "`wsu check --fix --unsafe-fixes` moves them to the new one."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for argument in arguments(ctx, "max_queue", ("connect", "serve")):
        if not argument.site.legacy:
            continue
        value = ctx.text(argument.arg.value) if argument.arg.value is not None else "..."
        yield ctx.diagnostic(
            SPEC,
            argument.arg.node,
            SPEC.message.format(value=value),
            applicability=Applicability.DISPLAY_ONLY,
        )


RULE = Rule(SPEC, check)
