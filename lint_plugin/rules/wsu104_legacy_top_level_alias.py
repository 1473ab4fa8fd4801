"""WSU104 legacy-top-level-alias."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin import names
from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.names import SWITCHED
from lint_plugin.rules._refs import name_references, renamed_nodes, replaced_reference
from lint_plugin.spec import Rule, RuleSpec
from lint_plugin.units import top_serve_outside_a_loop

#: The first version whose top-level aliases are the new implementation.
LEGACY_BEFORE = (14, 0)

SPEC = RuleSpec(
    code="WSU104",
    name="legacy-top-level-alias",
    summary="Top-level `connect` / `serve` / `broadcast` that are the legacy implementation "
    "before 14.0",
    message="`{old}` is the legacy implementation before websockets 14.0; use `{new}`",
    fix_title="Replace with `{new}`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0 (the aliases switched to the new implementation)",
    fix_from=(13, 0),
    example_flagged_at=(5, 15),
    what_it_does=(
        "When the target version is before 14.0, checks for `websockets.connect`, "
        "`unix_connect`, `serve`, `unix_serve` and `broadcast`. From 14.0, where they are "
        "the new implementation, checks for a top-level `serve()` / `unix_serve()` made "
        "outside a coroutine (`loop.run_until_complete(websockets.serve(...))`), which only "
        "the legacy implementation allowed."
    ),
    why_bad=(
        "Before websockets 14.0 these top-level names are the legacy implementation. Code that "
        "targets 13.x and wants the new implementation must import it from "
        "`websockets.asyncio.client` / `websockets.asyncio.server`; upgrading to 14.0 silently "
        "switches the aliases, so being explicit avoids surprises."
    ),
    example=(
        "# wsu: target-version=13.1\n"
        "import websockets\n"
        "\n"
        "async def main():\n"
        '    async with websockets.connect("ws://localhost:8765") as websocket:\n'
        '        await websocket.send("hi")\n'
    ),
    use_instead=(
        "# wsu: target-version=13.1\n"
        "import websockets\n"
        "import websockets.asyncio.client\n"
        "\n"
        "async def main():\n"
        '    async with websockets.asyncio.client.connect("ws://localhost:8765") as websocket:\n'
        '        await websocket.send("hi")\n'
    ),
    fix_safety=(
        "Unsafe: the code moves from the legacy to the new implementation, whose arguments, "
        "attributes and callbacks differ. From 14.0 on the aliases are the new implementation: "
        "a `serve()` made outside a coroutine there gets a hint only (moving it into a "
        "coroutine changes the program's structure)."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    if ctx.target_version >= LEGACY_BEFORE:
        # The aliases are the new implementation there; what only the legacy one allowed
        # is still reported.
        yield from _serve_outside_coroutine(ctx)
        return
    for ref in name_references(ctx):
        if ref.kind == "import" or ref.path not in SWITCHED:
            continue
        yield replaced_reference(ctx, SPEC, ref, SWITCHED[ref.path], Applicability.UNSAFE)


def _serve_outside_coroutine(ctx: Context) -> Iterator[Diagnostic]:
    """The tutorial's legacy idiom, ``loop.run_until_complete(websockets.serve(...))``:
    from 14.0 the top-level ``serve()`` is the new one, which needs a running loop.
    Reported where the name is, as before 14.0 (an imported name at its import)."""
    outside = {
        id(site.callee): site
        for site in ctx.model.call_sites
        if top_serve_outside_a_loop(ctx, site)
    }
    if not outside:
        return
    for ref in name_references(ctx):
        if ref.kind == "import" or ref.qualname.canonical not in names.TOP_SERVE:
            continue
        sites = [outside[id(n)] for n in renamed_nodes(ctx, ref) if id(n) in outside]
        if not sites:
            continue
        old = ref.qualname.render(ref.path)
        yield ctx.diagnostic(
            SPEC,
            ref.node,
            f"`{old}()` at line {sites[0].node.lineno} is made outside a coroutine, which only "
            "the legacy implementation allowed: from websockets 14.0 it is the new `serve()`, "
            "which raises RuntimeError there (no running event loop); make it in a coroutine "
            f"(`async with {old}(...)` under `asyncio.run()`)",
            fix_title=f"Make `{old}()` in a coroutine",
            applicability=Applicability.DISPLAY_ONLY,
        )


RULE = Rule(SPEC, check)
