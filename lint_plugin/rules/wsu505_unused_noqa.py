"""WSU505 unused-noqa.

Unlike the other rules this one looks at what the others reported: it runs in the engine
after ``noqa`` comments are applied (``lint_plugin.engine.check_source`` calls
:func:`unused_noqa`), so its ``check`` over the syntax tree finds nothing by itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace

from lint_plugin.context import Context
from lint_plugin.model import (
    Applicability,
    Diagnostic,
    Edit,
    Fix,
    FixAvailability,
    Position,
    Requirement,
)
from lint_plugin.noqa import NoqaDirective
from lint_plugin.settings import Settings
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU505",
    name="unused-noqa",
    summary="A `# noqa` code of this tool that suppresses nothing",
    message="Unused `noqa` directive ({detail})",
    fix_title="Remove the unused `noqa` code",
    fix_availability=FixAvailability.ALWAYS,
    applicability=Applicability.SAFE,
    deprecated_in="",
    fix_from=(0, 0),
    flags_deprecated_api=False,
    default_enabled=False,
    example_flagged_at=(3, 31),
    what_it_does=(
        "Checks for `WSU` codes in `# noqa` comments that suppress nothing on their line: "
        "the finding went away (the code was migrated) or the rule is not enabled. Codes of "
        "other tools (`E501`, `F401`) and a bare `# noqa` are left alone. Like ruff's "
        "RUF100, it is reported by `wsu check` and the language server (flake8 applies "
        "`noqa` comments itself), in files that mention websockets."
    ),
    why_bad=(
        "A stale `noqa` silences the next real finding on that line, and once the migration "
        "is done every `# noqa: WSU...` left behind is noise."
    ),
    example=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        'websocket = connect("ws://x")  # noqa: WSU201\n'
    ),
    use_instead=(
        'from websockets.asyncio.client import connect\n\nwebsocket = connect("ws://x")\n'
    ),
    fix_safety=(
        "Safe: only comment text changes. The unused codes are removed from the directive, "
        "and the directive itself when none is left; another tool's codes stay."
    ),
)

_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


def check(ctx: Context) -> Iterator[Diagnostic]:
    """Nothing to find in the tree: see :func:`unused_noqa`."""
    return iter(())


def enabled(settings: Settings) -> bool:
    return settings.is_enabled(SPEC.code) and settings.explicitly_selects(SPEC.code)


def report_unused_noqa(
    source: str,
    directives: Mapping[int, NoqaDirective],
    found: Iterable[Diagnostic],
    settings: Settings,
) -> list[Diagnostic]:
    """The engine's entry point: :func:`unused_noqa` with the rules ``settings`` runs.

    ``directives`` maps each line to the directive that applies to it
    (``lint_plugin.noqa.parse_noqa``)."""
    from lint_plugin.rules import ALL_RULES

    active = [
        rule.spec.code
        for rule in ALL_RULES
        if settings.is_enabled(rule.spec.code)
        and (rule.spec.default_enabled or settings.explicitly_selects(rule.spec.code))
    ]
    # A finding counts for the directive that applies to its line (on that line, or at the
    # end of the multi-line string or continued statement it sits in).
    moved = [
        replace(d, start=Position(directives[d.start.line].line, d.start.column))
        if d.start.line in directives
        else d
        for d in found
    ]
    written = {d.line: d for d in directives.values()}
    reported = unused_noqa(_LINE_BREAK_RE.split(source), written.values(), moved, active)
    # A directive may silence this rule too.
    return [d for d in reported if not written[d.start.line].suppresses(SPEC.code)]


def unused_noqa(
    lines: list[str],
    directives: Iterable[NoqaDirective],
    found: Iterable[Diagnostic],
    active_codes: Iterable[str],
) -> list[Diagnostic]:
    """One diagnostic per directive listing WSU codes that matched nothing on its line.

    ``found`` is what the rules reported before ``noqa`` was applied; ``active_codes``
    the codes of the rules that ran. ``lines`` are the source's lines without line ends.
    """
    on_line: dict[int, set[str]] = {}
    for diagnostic in found:
        on_line.setdefault(diagnostic.start.line, set()).add(diagnostic.code)
    active = tuple(active_codes)
    reported = []
    for directive in directives:
        if directive.codes is None:
            continue
        seen = on_line.get(directive.line, set())
        unused = [
            code
            for code in directive.codes
            if code.startswith("WSU")
            and code != SPEC.code
            and not any(found_code.startswith(code) for found_code in seen)
        ]
        if not unused:
            continue
        disabled = [c for c in unused if not any(a.startswith(c) for a in active)]
        parts = []
        if stale := [c for c in unused if c not in disabled]:
            parts.append("unused: " + ", ".join(f"`{c}`" for c in stale))
        if disabled:
            parts.append("non-enabled: " + ", ".join(f"`{c}`" for c in disabled))
        text = lines[directive.line - 1] if directive.line <= len(lines) else ""
        start = Position(directive.line, directive.column)
        end = Position(directive.line, directive.end_column)
        edit = _removal(text, directive, unused)
        reported.append(
            Diagnostic(
                code=SPEC.code,
                name=SPEC.name,
                message=SPEC.message.format(detail="; ".join(parts)),
                start=start,
                end=end,
                fix_title=SPEC.fix_title,
                fix=Fix((edit,), Applicability.SAFE, SPEC.fix_title, requires=Requirement.BOTH),
                parent=start,
            )
        )
    return reported


def _removal(text: str, directive: NoqaDirective, unused: list[str]) -> Edit:
    """Rewrite the directive without ``unused``, or remove it when nothing is left."""
    line, start, end = directive.line, directive.column, directive.end_column
    codes = directive.codes or ()
    kept = [c for c in codes if c not in unused]
    if kept:
        return Edit(Position(line, start), Position(line, end), f"# noqa: {', '.join(kept)}")
    # The whole directive goes, with the blank that separated it from the code (or, when
    # another comment follows it on the line, with the blank before that comment).
    after = len(text) - len(text[end:].lstrip())
    if after < len(text):
        return Edit.deletion(Position(line, start), Position(line, after))
    before = len(text[:start].rstrip())
    return Edit.deletion(Position(line, before), Position(line, len(text)))


RULE = Rule(SPEC, check)
