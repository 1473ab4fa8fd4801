"""WSU410 max-queue-semantics."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin import names
from lint_plugin.astwalk import walk
from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._arguments import Argument, arguments
from lint_plugin.semantic import CallSite
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU410",
    name="max-queue-semantics",
    summary="`max_queue=` on a legacy call whose meaning changes in the new implementation",
    message="`max_queue={value}` counts messages in the legacy implementation (default 32) but "
    "frames in the new one (default 16, high-water mark); review the value when migrating",
    fix_title="Review `max_queue` (frames, not messages)",
    fix_availability=FixAvailability.NONE,
    applicability=Applicability.DISPLAY_ONLY,
    deprecated_in="14.0 (new meaning in the new implementation, 13.0+)",
    fix_from=(13, 0),
    flags_deprecated_api=False,
    example_flagged_at=(4, 46),
    what_it_does=(
        "Checks for `max_queue=` passed to a legacy `connect()` or `serve()`, to a legacy "
        "protocol class (`WebSocketCommonProtocol(...)`), or to `super().__init__()` in a "
        "subclass of one, directly or through a splatted dict."
    ),
    why_bad=(
        "In the legacy implementation `max_queue` is the number of incoming messages buffered "
        "(32 by default). In the new one it is the high-water mark of a buffer of incoming "
        "frames (16 by default; the low-water mark is a quarter of it). With fragmented "
        "messages the same number buffers much less."
    ),
    example=(
        "from websockets.legacy.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765", max_queue=64) as websocket:\n'
        "        await websocket.recv()\n"
    ),
    use_instead=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765", max_queue=64) as websocket:\n'
        "        await websocket.recv()\n"
    ),
    fix_safety=(
        "Display-only: only the author knows whether messages are fragmented. The rule looks "
        "at calls that still run the legacy implementation, so run `wsu check` before "
        "`wsu check --fix --unsafe-fixes` moves them to the new one."
    ),
)


def _protocol_super_inits(ctx: Context) -> Iterator[Argument]:
    """``super().__init__(max_queue=...)`` in a subclass of a legacy protocol class."""
    model = ctx.model
    for cls in model.classes:
        base = model.legacy_base(cls)
        qualname = model.qualified_name(base) if base is not None else None
        if qualname is None or qualname.canonical not in names.LEGACY_PROTOCOL_CLASSES:
            continue
        for stmt in cls.body:
            if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in walk(stmt):
                if isinstance(node, ast.Call) and _is_super_init(node):
                    site = CallSite(node, qualname, "protocol", True)
                    for arg in model.keyword_args(site):
                        if arg.name == "max_queue":
                            yield Argument(site, arg)


def _is_super_init(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "__init__"
        and isinstance(func.value, ast.Call)
        and isinstance(func.value.func, ast.Name)
        and func.value.func.id == "super"
    )


def check(ctx: Context) -> Iterator[Diagnostic]:
    found = [
        *arguments(ctx, "max_queue", ("connect", "serve", "protocol")),
        *_protocol_super_inits(ctx),
    ]
    for argument in found:
        if not argument.site.legacy:
            continue
        value = ctx.text(argument.arg.value) if argument.arg.value is not None else "..."
        yield ctx.diagnostic(
            SPEC,
            argument.arg.node,
            SPEC.message.format(value=value),
            applicability=Applicability.DISPLAY_ONLY,
        )


RULE = Rule(SPEC, check)
