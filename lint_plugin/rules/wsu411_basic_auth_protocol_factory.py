"""WSU411 basic-auth-protocol-factory."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin import names
from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, Edit, FixAvailability
from lint_plugin.rules._arguments import Argument, arguments, has_keyword
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU411",
    name="basic-auth-protocol-factory",
    summary="`create_protocol=basic_auth_protocol_factory(...)`",
    message="HTTP Basic Auth is a `process_request` callable in the new implementation; use "
    "`process_request=basic_auth(...)`",
    fix_title="Replace with `process_request=basic_auth(...)`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0",
    fix_from=(13, 0),
    example_flagged_at=(7, 8),
    what_it_does=(
        "Checks for `create_protocol=basic_auth_protocol_factory(...)` passed to `serve()`."
    ),
    why_bad=(
        "The legacy server authenticated in a protocol subclass built by "
        "`basic_auth_protocol_factory`. The new server uses `basic_auth(realm, credentials, "
        "check_credentials)`, which returns a `process_request` coroutine; `check_credentials` "
        "may be a plain function, and the authenticated user is `connection.username`."
    ),
    example=(
        "from websockets.legacy.auth import basic_auth_protocol_factory\n"
        "from websockets.legacy.server import serve\n"
        "\n"
        "async def main(handler):\n"
        "    async with serve(\n"
        "        handler,\n"
        "        create_protocol=basic_auth_protocol_factory(\n"
        '            realm="admin", credentials=("alice", "s3cr3t")\n'
        "        ),\n"
        "    ):\n"
        "        pass\n"
    ),
    use_instead=(
        "from websockets.asyncio.server import basic_auth, serve\n"
        "\n"
        "async def main(handler):\n"
        "    async with serve(\n"
        "        handler,\n"
        '        process_request=basic_auth(realm="admin", credentials=("alice", "s3cr3t")),\n'
        "    ):\n"
        "        pass\n"
    ),
    fix_safety=(
        "Unsafe: `process_request=` works only on the new `serve()`, and code that read "
        "`websocket.username` keeps working but a custom protocol passed to the factory's "
        "`create_protocol` is lost, so the fix is not offered then, nor when `serve()` already "
        "has a `process_request`. The fix imports `basic_auth` once."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for argument in arguments(ctx, "create_protocol", ("serve",)):
        value = argument.arg.value
        if not isinstance(value, ast.Call):
            continue
        qualname = ctx.qualified_name(value.func)
        if qualname is None or qualname.canonical not in names.BASIC_AUTH_FACTORY:
            continue
        yield ctx.diagnostic(
            SPEC,
            argument.arg.node,
            SPEC.message,
            edits=_fix(ctx, argument, value) or (),
            applicability=Applicability.UNSAFE,
        )


def _fix(ctx: Context, argument: Argument, factory: ast.Call) -> list[Edit] | None:
    if argument.arg.via != "keyword" or has_keyword(ctx, argument.site, "process_request"):
        return None
    if len(factory.args) > 3 or any(k.arg in {None, "create_protocol"} for k in factory.keywords):
        return None
    imported = ctx.import_edit("asyncio.server", "basic_auth")
    if imported is None:
        return None  # ``basic_auth`` means something else in this module
    name, import_edit = imported
    call_args = ctx.text(factory)[len(ctx.text(factory.func)) :]
    edits = [ctx.replace(argument.arg.node, f"process_request={name}{call_args}")]
    if import_edit is not None:
        edits.append(import_edit)
    return edits


RULE = Rule(SPEC, check)
