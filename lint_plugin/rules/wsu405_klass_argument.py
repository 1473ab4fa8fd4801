"""WSU405 klass-argument."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._arguments import arguments
from lint_plugin.rules._rewrites_subclass import PLAN_TITLES, plan_for_argument
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU405",
    name="klass-argument",
    summary="`klass=` on `connect()` / `serve()`",
    message="`klass` is deprecated since websockets 3.4 and gone in the new implementation; "
    "use `create_connection=`",
    fix_title="Use `create_connection=` with a connection subclass",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="3.4",
    fix_from=(13, 0),
    example_flagged_at=(4, 46),
    what_it_does="Checks for `klass=` passed to `connect()` or `serve()`.",
    why_bad=(
        "`klass` was renamed `create_protocol` in websockets 3.4, and the new implementation "
        "replaced that with `create_connection`, which takes a `ClientConnection` / "
        "`ServerConnection` subclass."
    ),
    example=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main(protocol_class):\n"
        '    async with connect("ws://localhost:8765", klass=protocol_class) as websocket:\n'
        "        pass\n"
    ),
    use_instead=(
        "from websockets.asyncio.client import ClientConnection, connect\n"
        "\n"
        "class MyConnection(ClientConnection):\n"
        "    pass\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765", create_connection=MyConnection) as ws:\n'
        "        pass\n"
    ),
    fix_safety=(
        "Unsafe: offered where the class passed is a local subclass that WSU304 rebases "
        "onto `ClientConnection` / `ServerConnection` (the same edits), or one based on them "
        "already: the argument becomes `create_connection=`. Anything else gets a hint only."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for argument in arguments(ctx, "klass", ("connect", "serve")):
        plan = plan_for_argument(ctx, argument.arg.value, argument.arg.node)
        yield ctx.diagnostic(
            SPEC,
            argument.arg.node,
            SPEC.message,
            fix_title=PLAN_TITLES[plan.kind] if plan else None,
            edits=plan.edits if plan else (),
            applicability=Applicability.UNSAFE if plan else None,
        )


RULE = Rule(SPEC, check)
