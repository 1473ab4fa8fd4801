"""WSU409 empty-origin."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._arguments import arguments
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU409",
    name="empty-origin",
    summary='`""` in `origins=`',
    message="An empty string in `origins` is deprecated since websockets 7.0; use `None` to "
    "accept requests without an `Origin` header",
    fix_title='Replace `""` with `None`',
    fix_availability=FixAvailability.ALWAYS,
    applicability=Applicability.SAFE,
    deprecated_in="7.0",
    fix_from=(7, 0),
    example_flagged_at=(4, 62),
    what_it_does="Checks for an empty string in a literal `origins=` list passed to `serve()`.",
    why_bad=(
        '`None` in `origins` means "no `Origin` header" (clients that are not browsers). The '
        'legacy server also accepted `""` with a deprecation warning; the new one does not.'
    ),
    example=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "async def main(handler):\n"
        '    async with serve(handler, origins=["https://example.com", ""]):\n'
        "        pass\n"
    ),
    use_instead=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "async def main(handler):\n"
        '    async with serve(handler, origins=["https://example.com", None]):\n'
        "        pass\n"
    ),
    fix_safety='Safe: the legacy server treated `""` as `None`.',
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for argument in arguments(ctx, "origins", ("serve", "protocol")):
        value = argument.arg.value
        if not isinstance(value, (ast.List, ast.Tuple, ast.Set)):
            continue
        for element in value.elts:
            if isinstance(element, ast.Constant) and element.value == "":
                yield ctx.diagnostic(
                    SPEC,
                    element,
                    SPEC.message,
                    edits=[ctx.replace(element, "None")],
                    applicability=Applicability.SAFE,
                )


RULE = Rule(SPEC, check)
