"""WSU407 removed-loop-legacy-recv."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._arguments import arguments, removal_edit
from lint_plugin.rules._rewrites_legacy_recv import legacy_recv_edits
from lint_plugin.spec import Rule, RuleSpec
from lint_plugin.units import in_coroutine

SPEC = RuleSpec(
    code="WSU407",
    name="removed-loop-legacy-recv",
    summary="`loop=` or `legacy_recv=` argument",
    message="`{arg}` is deprecated since websockets 10.0 and gone in the new implementation; "
    "remove it",
    fix_title="Remove `{arg}=`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.SAFE,
    deprecated_in="10.0",
    fix_from=(10, 0),
    example_flagged_at=(6, 46),
    what_it_does=(
        "Checks for `loop=` and `legacy_recv=` passed to `connect()`, `serve()` or a legacy "
        "protocol class."
    ),
    why_bad=(
        "websockets 10.0 deprecated `loop` (the running loop is used) and `legacy_recv` "
        "(`recv()` raises `ConnectionClosed` since 3.0). The new implementation does not "
        "accept them."
    ),
    example=(
        "import asyncio\n"
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main():\n"
        "    loop = asyncio.get_running_loop()\n"
        '    async with connect("ws://localhost:8765", loop=loop) as websocket:\n'
        '        await websocket.send("hi")\n'
    ),
    use_instead=(
        "import asyncio\n"
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main():\n"
        "    loop = asyncio.get_running_loop()\n"
        '    async with connect("ws://localhost:8765") as websocket:\n'
        '        await websocket.send("hi")\n'
    ),
    fix_safety=(
        "Removing `loop=` is safe where the call is made in a coroutine: websockets uses "
        "the running loop. Made outside one (an object built before "
        "`loop.run_until_complete()`), the legacy call without `loop=` takes the current "
        "event loop, which need not be the one passed: a hint only there (where the call is "
        "already the new implementation, which rejects `loop=`, it is removed). Without "
        "`legacy_recv=True`, `recv()` raises `ConnectionClosed` instead of returning `None` "
        "after the connection closes, so the fix also rewrites each read of that connection, "
        "`x = await conn.recv()` followed by `if x is None: ...`, into `try: x = await "
        "conn.recv()` / `except ConnectionClosed: ...`, which behaves the same on both "
        "implementations but for one detail that makes it unsafe: where the legacy read got "
        "`None`, the closing handshake could still be under way (`close_code` still `None`); "
        "in the `except` block it is over. Where the connection is read in another shape, "
        "passed along or iterated, `legacy_recv=True` gets a hint only (`legacy_recv=False` is "
        "simply "
        "removed). Arguments passed through a dict get a hint only."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for name in ("loop", "legacy_recv"):
        for argument in arguments(ctx, name, ("connect", "serve", "protocol")):
            value = argument.arg.value
            edit = removal_edit(ctx, argument)
            edits = [edit] if edit else []
            title = SPEC.fix_title.format(arg=name)
            rewritten = False
            if (
                edits
                and name == "loop"
                and argument.site.legacy
                and not in_coroutine(ctx, argument.site.node)
            ):
                # Made outside a running loop, the legacy call without ``loop=`` takes the
                # current event loop, which need not be the one passed. (The new one takes
                # no ``loop=`` at all: removing it is the fix wherever the call is made.)
                edits = []
                title = f"{title} once the call is made in a coroutine"
            if edits and name == "legacy_recv" and not _is_false(value):
                # recv() raises ConnectionClosed instead of returning None: the reads that
                # relied on None are rewritten, or the argument stays (hint only).
                reads = legacy_recv_edits(ctx, argument.site.node)
                edits = [*edits, *reads] if reads is not None else []
                rewritten = True
                title = f"{title} and catch `ConnectionClosed` where `recv()` returned `None`"
            yield ctx.diagnostic(
                SPEC,
                argument.arg.node,
                SPEC.message.format(arg=name),
                fix_title=title,
                edits=edits,
                applicability=Applicability.UNSAFE if rewritten else Applicability.SAFE,
            )


def _is_false(value: ast.expr | None) -> bool:
    return isinstance(value, ast.Constant) and value.value is False


RULE = Rule(SPEC, check)
