"""WSU404 create-protocol-argument."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin import names
from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._arguments import arguments
from lint_plugin.rules._rewrites_subclass import PLAN_TITLES, plan_for_argument
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU404",
    name="create-protocol-argument",
    summary="`create_protocol=` on `connect()` / `serve()`",
    message="`create_protocol` is not an argument of the new `{call}()`; use "
    "`create_connection=` with a `{cls}` subclass, or the callbacks it replaces",
    fix_title="Use `create_connection=` or `process_request=` / `select_subprotocol=`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0 (renamed in the new implementation, 13.0+)",
    fix_from=(13, 0),
    example_flagged_at=(4, 30),
    what_it_does="Checks for `create_protocol=` passed to `connect()` or `serve()`.",
    why_bad=(
        "The new implementation calls it `create_connection`, and it must return a "
        "`ClientConnection` / `ServerConnection` rather than a legacy protocol. Most "
        "subclasses existed to customise the handshake, which `process_request`, "
        "`select_subprotocol` and `process_response` now do without subclassing."
    ),
    example=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "async def main(handler, protocol_class):\n"
        "    async with serve(handler, create_protocol=protocol_class):\n"
        "        pass\n"
    ),
    use_instead=(
        "from websockets.asyncio.server import ServerConnection, serve\n"
        "\n"
        "class MyConnection(ServerConnection):\n"
        "    pass\n"
        "\n"
        "async def main(handler):\n"
        "    async with serve(handler, create_connection=MyConnection):\n"
        "        pass\n"
    ),
    fix_safety=(
        "Unsafe: offered where the class passed is a local subclass that WSU304 migrates "
        "(the same edits: `create_connection=` for a rebased subclass, `process_request=` / "
        "`select_subprotocol=` for one whose overrides become functions), or a subclass of "
        "`ServerConnection` / `ClientConnection` already (the argument is renamed "
        "`create_connection=`). A factory or anything else gets a hint only."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for argument in arguments(ctx, "create_protocol", ("connect", "serve")):
        value = argument.arg.value
        if isinstance(value, ast.Call):
            qualname = ctx.qualified_name(value.func)
            if qualname is not None and qualname.canonical in names.BASIC_AUTH_FACTORY:
                continue  # WSU411 has the precise replacement.
        family = argument.site.family
        cls = "ClientConnection" if family == "connect" else "ServerConnection"
        plan = plan_for_argument(ctx, value, argument.arg.node)
        yield ctx.diagnostic(
            SPEC,
            argument.arg.node,
            SPEC.message.format(call=family, cls=cls),
            fix_title=PLAN_TITLES[plan.kind] if plan else None,
            edits=plan.edits if plan else (),
            applicability=Applicability.UNSAFE if plan else None,
        )


RULE = Rule(SPEC, check)
