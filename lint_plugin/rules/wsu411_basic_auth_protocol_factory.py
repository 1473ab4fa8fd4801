"""WSU411 basic-auth-protocol-factory."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace

from lint_plugin import names
from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, Edit, FixAvailability, Requirement
from lint_plugin.rules._arguments import Argument, arguments, has_keyword
from lint_plugin.rules._rewrites_basic_auth import basic_auth_migration, is_basic_auth_subclass
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU411",
    name="basic-auth-protocol-factory",
    summary="`create_protocol=basic_auth_protocol_factory(...)` or a "
    "`BasicAuthWebSocketServerProtocol` subclass",
    message="HTTP Basic Auth is a `process_request` callable in the new implementation; use "
    "`process_request=basic_auth(...)`",
    fix_title="Replace with `process_request=basic_auth(...)`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0",
    fix_from=(13, 0),
    example_flagged_at=(7, 8),
    what_it_does=(
        "Checks for `create_protocol=basic_auth_protocol_factory(...)` passed to `serve()`, "
        "and for subclasses of the legacy `BasicAuthWebSocketServerProtocol` (at the base)."
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
        "has a `process_request`. The fix imports `basic_auth` once. A "
        "`BasicAuthWebSocketServerProtocol` subclass is migrated, as one unit with WSU304 (the "
        "class) and WSU404 / WSU405 (the arguments passing it), when it sets only a `realm` "
        "string literal and overrides `check_credentials` with an `async def` that uses "
        "neither `self` nor `super()`, and it is passed only as `create_protocol=` / `klass=` "
        "to `serve()` calls without `process_request=`: the override becomes a module-level "
        "coroutine function without `self` and each argument "
        "`process_request=basic_auth(realm=..., check_credentials=...)`. The new server "
        "answers a failed check with 401 and a `WWW-Authenticate` challenge for the realm, as "
        "the legacy one did, and sets `connection.username`; but the connections are no longer "
        "instances of the subclass, and its docstring goes (its comments are kept above the "
        "function). Any other subclass (other members, `self` state, a sync or missing "
        "`check_credentials`, `.realm` read elsewhere, a `process_request=` to compose) gets a "
        "hint that says why, and holds back its migration unit."
    ),
)

SUBCLASS_MESSAGE = (
    "`{name}` customises the legacy `BasicAuthWebSocketServerProtocol`; use "
    "`process_request=basic_auth(realm=..., check_credentials=...)`"
)
SUBCLASS_FIX_TITLE = "Replace the subclass with `process_request=basic_auth(...)`"


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

    for cls in ctx.model.classes:
        if is_basic_auth_subclass(ctx, cls):
            yield _subclass(ctx, cls)


def _subclass(ctx: Context, cls: ast.ClassDef) -> Diagnostic:
    """Reported at the base: the fix moves the class off the legacy implementation, as
    an import switch would (it replaces the class whole)."""
    migration = basic_auth_migration(ctx, cls)
    message = SUBCLASS_MESSAGE.format(name=cls.name)
    if migration.reason is not None:
        message += f" (no automatic fix: {migration.reason})"
    base = ctx.model.legacy_base(cls)
    assert base is not None
    diagnostic = ctx.diagnostic(
        SPEC,
        base,
        message,
        fix_title=SUBCLASS_FIX_TITLE,
        edits=migration.edits,
        applicability=Applicability.UNSAFE,
    )
    assert diagnostic.fix is not None
    return replace(diagnostic, fix=replace(diagnostic.fix, requires=Requirement.SWITCH))


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
