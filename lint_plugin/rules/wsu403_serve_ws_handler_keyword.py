"""WSU403 serve-ws-handler-keyword."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._arguments import arguments, rename_edit
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU403",
    name="serve-ws-handler-keyword",
    summary="`ws_handler=` keyword on `serve()`",
    message="The first argument of the new `serve()` is called `handler`, not `ws_handler`",
    fix_title="Rename to `handler=`",
    fix_availability=FixAvailability.ALWAYS,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0 (renamed in the new implementation, 13.0+)",
    fix_from=(13, 0),
    example_flagged_at=(8, 21),
    what_it_does="Checks for the handler passed to `serve()` as `ws_handler=`.",
    why_bad=(
        "The new `serve()` names its first parameter `handler`; `ws_handler=` is passed on to "
        "`loop.create_server()` and fails with `TypeError`."
    ),
    example=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "async def echo(websocket):\n"
        "    async for message in websocket:\n"
        "        await websocket.send(message)\n"
        "\n"
        "async def main():\n"
        '    async with serve(ws_handler=echo, host="localhost", port=8765):\n'
        "        pass\n"
    ),
    use_instead=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "async def echo(websocket):\n"
        "    async for message in websocket:\n"
        "        await websocket.send(message)\n"
        "\n"
        "async def main():\n"
        '    async with serve(handler=echo, host="localhost", port=8765):\n'
        "        pass\n"
    ),
    fix_safety=(
        "Unsafe: the legacy `serve()` only accepts `ws_handler`, so the rename is right once "
        "the call uses the new implementation. The keyword is renamed where it is written: in "
        'the call, a dict splatted into it, or `options["ws_handler"] = ...`; a name that '
        "arrives some other way gets a hint only."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for argument in arguments(ctx, "ws_handler", ("serve",)):
        edit = rename_edit(ctx, argument, "handler")
        yield ctx.diagnostic(
            SPEC,
            argument.arg.node,
            SPEC.message,
            edits=[edit] if edit else (),
            applicability=Applicability.UNSAFE,
        )


RULE = Rule(SPEC, check)
