"""WSU401 connect-extra-headers."""

from __future__ import annotations

import ast
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
        "import fixes). A dict literal holding only `User-Agent` becomes `user_agent_header=`; "
        "headers known to hold `User-Agent` among others (a dict or a list of pairs, written "
        "in the call or bound once to a name) also get `user_agent_header=None`: the new "
        "client of websockets 14.x adds its own beside it, and a server reads two."
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
            if edits and "user-agent" in _header_names(ctx, argument.arg.value):
                # The new client of 14.x adds its own `User-Agent` beside one given in
                # `additional_headers` (the legacy one did not): a server reading it gets two.
                if argument.arg.via != "keyword" or has_keyword(
                    ctx, argument.site, "user_agent_header"
                ):
                    edits = []
                else:
                    edits.append(
                        Edit.insertion(ctx.end(argument.arg.node), ", user_agent_header=None")
                    )
        yield ctx.diagnostic(
            SPEC,
            argument.arg.node,
            SPEC.message.format(new=f"{new}="),
            fix_title=SPEC.fix_title.format(new=new),
            edits=edits,
            applicability=Applicability.UNSAFE,
        )


def _header_names(ctx: Context, value: ast.expr | None) -> set[str]:
    """The header names (lower case) of a dict or a list / tuple of pairs written with
    constant names, directly or bound once to a name of the scope; none when unknown."""
    if isinstance(value, ast.Name):
        binding = ctx.model.binding_of(value)
        if (
            binding is None
            or binding.kind != "assign"
            or len(binding.scope.bindings.get(binding.name, ())) != 1
        ):
            return set()
        value = binding.value
    if isinstance(value, ast.Dict):
        keys: list[ast.expr | None] = list(value.keys)
    elif isinstance(value, (ast.List, ast.Tuple)):
        keys = [
            pair.elts[0]
            if isinstance(pair, (ast.Tuple, ast.List)) and len(pair.elts) == 2
            else None
            for pair in value.elts
        ]
    else:
        return set()
    return {
        key.value.lower()
        for key in keys
        if isinstance(key, ast.Constant) and isinstance(key.value, str)
    }


RULE = Rule(SPEC, check)
