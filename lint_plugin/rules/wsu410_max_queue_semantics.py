"""WSU410 max-queue-semantics."""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterator
from dataclasses import replace

from lint_plugin import names
from lint_plugin.astwalk import walk
from lint_plugin.context import Context
from lint_plugin.model import (
    Applicability,
    Diagnostic,
    Edit,
    FixAvailability,
    Position,
    Requirement,
)
from lint_plugin.noqa import comment_lines, parse_noqa
from lint_plugin.rules._arguments import Argument, arguments
from lint_plugin.semantic import CallSite
from lint_plugin.spec import Rule, RuleSpec
from lint_plugin.units import top_serve_outside_a_loop

SPEC = RuleSpec(
    code="WSU410",
    name="max-queue-semantics",
    summary="`max_queue=` on a legacy call whose meaning changes in the new implementation",
    message="`max_queue={value}` counts messages in the legacy implementation (default 32) but "
    "frames in the new one (default 16, high-water mark); review the value when migrating",
    fix_title="Review `max_queue` (frames, not messages)",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0 (new meaning in the new implementation, 13.0+)",
    fix_from=(13, 0),
    flags_deprecated_api=False,
    example_flagged_at=(4, 46),
    what_it_does=(
        "Checks for `max_queue=` passed to a legacy `connect()` or `serve()` (from 14.0, the "
        "top-level `serve()` made outside a coroutine too: only the legacy one runs there, "
        "see WSU104), to a legacy "
        "protocol class (`WebSocketCommonProtocol(...)`), or to `super().__init__()` in a "
        "subclass of one, directly or through a splatted dict; and `max_queue=` on a "
        "`connect()` or `serve()` of the new implementation whose line carries the comment "
        "`# WSU410: review max_queue (frames, not messages)`, which the fix writes when "
        "`--fix` moves the call: the finding stays until the comment is removed."
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
        "Unsafe, as the migration it belongs to: the fix writes only the comment "
        "`# WSU410: review max_queue (frames, not messages)` at the end of the argument's "
        "line, and only together with the fixes that move its call to the new implementation, "
        "so that the review note survives the migration (only the author knows whether "
        "messages are fragmented). Once the value is reviewed, remove the comment. A call held "
        "on the legacy implementation, or the `super().__init__()` of a protocol subclass, "
        "keeps a display-only hint. A finding suppressed by `noqa`, or a run that does not "
        "select WSU410, writes no comment and does not keep the call from moving."
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


#: Written by the fix where the call moves to the new implementation; the finding stays
#: on the migrated call until the author, having reviewed the value, removes it.
MARKER = "WSU410: review max_queue (frames, not messages)"
MIGRATED = (
    "`max_queue={value}` counted messages in the legacy implementation (default 32); the new "
    "one counts frames (default 16, high-water mark): review the value, then remove the "
    "`# WSU410` comment"
)


class _Comments:
    """Where a line's comment goes (a line ending inside a string or continued by a
    backslash cannot hold one) and what comments the module has, from one tokenize."""

    def __init__(self, source: str) -> None:
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        except (tokenize.TokenError, SyntaxError):
            tokens = []
        self.covering = comment_lines(tokens)
        self.text = {t.start[0]: t.string for t in tokens if t.type == tokenize.COMMENT}

    def line_for(self, line: int) -> int:
        return self.covering.get(line, line)


def check(ctx: Context) -> Iterator[Diagnostic]:
    calls = list(arguments(ctx, "max_queue", ("connect", "serve", "protocol")))
    supers = list(_protocol_super_inits(ctx))
    if not calls and not supers:
        return
    comments = _Comments(ctx.source)
    # A finding noqa or the selection hides would hold its call's migration back as a
    # member without a fix: it gets no fix, and the call moves without the comment.
    fixing = ctx.settings.is_enabled(SPEC.code)
    directives = parse_noqa(ctx.source, compiles=True)[0] if fixing else {}
    for argument, on_call in [*((a, True) for a in calls), *((a, False) for a in supers)]:
        node = argument.arg.node
        line = comments.line_for(node.lineno)  # type: ignore[attr-defined]
        legacy = argument.site.legacy or top_serve_outside_a_loop(ctx, argument.site)
        if not legacy and MARKER not in comments.text.get(line, ""):
            continue
        value = ctx.text(argument.arg.value) if argument.arg.value is not None else "..."
        message = SPEC.message if legacy else MIGRATED
        diagnostic = ctx.diagnostic(
            SPEC, node, message.format(value=value), applicability=Applicability.DISPLAY_ONLY
        )
        directive = directives.get(node.lineno)  # type: ignore[attr-defined]
        if (
            argument.site.legacy
            and fixing
            and on_call
            and not (directive is not None and directive.suppresses(SPEC.code))
            and MARKER not in comments.text.get(line, "")
        ):
            diagnostic = _with_marker(ctx, diagnostic, line)
        yield diagnostic


def _with_marker(ctx: Context, diagnostic: Diagnostic, line: int) -> Diagnostic:
    """The comment at the end of ``line``, written only with the call's migration."""
    text = ctx.lines[line - 1].rstrip("\r\n")
    at = Position(line, len(text.rstrip()))
    edit = Edit.insertion(at, f"  # {MARKER}")
    assert diagnostic.fix is not None
    fix = replace(
        diagnostic.fix,
        edits=(edit,),
        applicability=Applicability.UNSAFE,
        requires=Requirement.NEW,
    )
    return replace(diagnostic, fix=fix)


RULE = Rule(SPEC, check)
