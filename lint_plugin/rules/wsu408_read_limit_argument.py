"""WSU408 read-limit-argument."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._arguments import arguments, removal_edit
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU408",
    name="read-limit-argument",
    summary="`read_limit=` on `connect()` / `serve()`",
    message="`read_limit` does not exist in the new implementation, which has no read buffer; "
    "remove it (`max_queue` is the only read buffer)",
    fix_title="Remove `read_limit=`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0 (not in the new implementation, 13.0+)",
    fix_from=(13, 0),
    example_flagged_at=(4, 46),
    what_it_does="Checks for `read_limit=` passed to `connect()`, `serve()` or a legacy protocol.",
    why_bad=(
        "The legacy implementation buffered incoming bytes in a `StreamReader` sized by "
        "`read_limit`. The new implementation parses data as it arrives; the queue of incoming "
        "frames bounded by `max_queue` is its only read buffer. The new functions reject "
        "`read_limit`."
    ),
    example=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765", read_limit=2**20) as websocket:\n'
        "        await websocket.recv()\n"
    ),
    use_instead=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765") as websocket:\n'
        "        await websocket.recv()\n"
    ),
    fix_safety=(
        "Unsafe: on the legacy implementation, removing the argument changes its buffer size "
        "back to the default (64 KiB)."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for argument in arguments(ctx, "read_limit", ("connect", "serve", "protocol")):
        edit = removal_edit(ctx, argument)
        yield ctx.diagnostic(
            SPEC,
            argument.arg.node,
            SPEC.message,
            edits=[edit] if edit else (),
            applicability=Applicability.UNSAFE,
        )


RULE = Rule(SPEC, check)
