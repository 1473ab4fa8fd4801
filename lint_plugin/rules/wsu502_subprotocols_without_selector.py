"""WSU502 subprotocols-without-selector."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Diagnostic, FixAvailability
from lint_plugin.rules._arguments import arguments, has_keyword
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU502",
    name="subprotocols-without-selector",
    summary="`subprotocols=` on `serve()` without `select_subprotocol=`",
    message="A new server with `subprotocols` and no `select_subprotocol` rejects clients "
    "that offer none of them (the legacy server accepted them without a subprotocol); add "
    "`select_subprotocol=` if those clients must be accepted",
    fix_title="Add `select_subprotocol=` if clients without a subprotocol must be accepted",
    fix_availability=FixAvailability.NONE,
    applicability=None,
    deprecated_in="13.0 (behaviour of the new implementation)",
    fix_from=(13, 0),
    flags_deprecated_api=False,
    example_flagged_at=(4, 30),
    default_enabled=False,
    what_it_does="Checks for `subprotocols=` passed to `serve()` without `select_subprotocol=`.",
    why_bad=(
        "The default subprotocol selection changed: the legacy server accepted a client that "
        "offered none of its subprotocols (continuing without one) and averaged both sides' "
        "preferences; the new server picks the first of its own subprotocols that the client "
        "offered and rejects the client when there is none."
    ),
    example=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "async def main(handler):\n"
        '    async with serve(handler, subprotocols=["chat.v2", "chat.v1"]):\n'
        "        pass\n"
    ),
    use_instead=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "def select_subprotocol(connection, subprotocols):\n"
        '    for subprotocol in ("chat.v2", "chat.v1"):\n'
        "        if subprotocol in subprotocols:\n"
        "            return subprotocol\n"
        "    return None  # accept clients that offer none\n"
        "\n"
        "async def main(handler):\n"
        "    async with serve(\n"
        '        handler, subprotocols=["chat.v2", "chat.v1"], '
        "select_subprotocol=select_subprotocol\n"
        "    ):\n"
        "        pass\n"
    ),
    fix_safety="No fix: whether clients without a subprotocol are welcome is a design decision.",
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for argument in arguments(ctx, "subprotocols", ("serve",)):
        if not has_keyword(ctx, argument.site, "select_subprotocol"):
            yield ctx.diagnostic(SPEC, argument.arg.node, SPEC.message)


RULE = Rule(SPEC, check)
