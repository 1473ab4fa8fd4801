"""WSU401 connect-extra-headers."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, Edit, FixAvailability
from lint_plugin.rules._arguments import arguments, has_keyword, only_header, rename_edit
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU401",
    name="connect-extra-headers",
    summary="`extra_headers=` on `connect()`",
    message="`extra_headers` is not an argument of the new `connect()`; use `{new}`",
    fix_title="Rename to `{new}`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0 (renamed in the new implementation, 13.0+)",
    fix_from=(13, 0),
    example_flagged_at=(5, 45),
    what_it_does=(
        "Checks for `extra_headers=` passed to `connect()` / `unix_connect()` (also through a "
        'dict splatted with `**`, or `kwargs.setdefault("extra_headers", ...)`).'
    ),
    why_bad=(
        "The new `connect()` calls it `additional_headers`; `extra_headers` would be passed on "
        "to `loop.create_connection()` and fail with `TypeError`. When the headers only set "
        "`User-Agent`, the dedicated `user_agent_header=` argument is clearer."
    ),
    example=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main(token):\n"
        '    headers = {"Authorization": f"Bearer {token}"}\n'
        '    async with connect("wss://example.com/", extra_headers=headers) as websocket:\n'
        '        await websocket.send("hi")\n'
    ),
    use_instead=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main(token):\n"
        '    headers = {"Authorization": f"Bearer {token}"}\n'
        '    async with connect("wss://example.com/", additional_headers=headers) as websocket:\n'
        '        await websocket.send("hi")\n'
    ),
    fix_safety=(
        "Unsafe: the legacy `connect()` does not accept `additional_headers`, so the renamed "
        "argument works only once the call uses the new implementation (apply it with the "
        "import fixes). A dict literal holding only `User-Agent` becomes `user_agent_header=`."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for argument in arguments(ctx, "extra_headers", ("connect",)):
        user_agent = only_header(argument.arg.value, "user-agent")
        if (
            user_agent is not None
            and argument.arg.via == "keyword"
            and not has_keyword(ctx, argument.site, "user_agent_header")
        ):
            new = "user_agent_header"
            edits: list[Edit] = [
                ctx.replace(argument.arg.node, f"user_agent_header={ctx.text(user_agent)}")
            ]
        else:
            new = "additional_headers"
            taken = has_keyword(ctx, argument.site, new)
            edit = None if taken else rename_edit(ctx, argument, new)
            edits = [edit] if edit is not None else []
        yield ctx.diagnostic(
            SPEC,
            argument.arg.node,
            SPEC.message.format(new=f"{new}="),
            fix_title=SPEC.fix_title.format(new=new),
            edits=edits,
            applicability=Applicability.UNSAFE,
        )


RULE = Rule(SPEC, check)
