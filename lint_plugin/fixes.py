"""Applying fixes: non-overlapping edits per pass, re-lint, repeat to a fixed point.

Shared by the ``wsu`` command and the language server. Nothing here touches the disk.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lint_plugin.backports import pairwise
from lint_plugin.engine import CheckResult, SyntaxProblem, check_source
from lint_plugin.model import Diagnostic, Edit, Position
from lint_plugin.noqa import NoqaWarning
from lint_plugin.parse_groups import compiles
from lint_plugin.settings import Settings

log = logging.getLogger("lint_plugin")

MAX_PASSES = 10
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


@dataclass
class FixResult:
    source: str
    """The fixed text (the input when nothing applied)."""
    applied: Counter[str] = field(default_factory=Counter)
    """Fixes applied, by rule code."""
    remaining: list[Diagnostic] = field(default_factory=list)
    """Diagnostics of the fixed text."""
    converged: bool = True
    non_converging: tuple[str, ...] = ()
    """Codes still offering fixes after the last pass, or whose fixes cycle."""
    rejected: tuple[str, ...] = ()
    """Codes of a pass whose result did not parse; that pass was dropped."""
    inconsistent: tuple[str, ...] = ()
    """Codes of fixes left out of a pass that would have left legacy uses on code moved to
    the new implementation (``CheckResult.mixed``)."""
    syntax_error: SyntaxProblem | None = None
    noqa_warnings: list[NoqaWarning] = field(default_factory=list)

    @property
    def fixed(self) -> int:
        return sum(self.applied.values())


class InvalidEdit(ValueError):
    """An edit whose range lies outside the text or ends before it starts."""


class LineIndex:
    """Converts (1-based line, code-point column) positions into string offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _LINE_BREAK_RE.finditer(text)]

    def offset(self, position: Position) -> int:
        if not 1 <= position.line <= len(self.starts) or position.column < 0:
            raise InvalidEdit(f"position {position} is outside the text")
        start = self.starts[position.line - 1]
        end = self.starts[position.line] if position.line < len(self.starts) else len(self.text)
        line = self.text[start:end].rstrip("\r\n")
        if position.column > len(line):
            raise InvalidEdit(f"position {position} is past the end of its line")
        return start + position.column

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self.starts, offset)
        return Position(line, offset - self.starts[line - 1])


def line_ending(text: str) -> str:
    """The file's line ending: that of its first line (ruff's rule)."""
    match = _LINE_BREAK_RE.search(text)
    return match.group() if match else "\n"


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    content: str


def _spans(edits: Iterable[Edit], index: LineIndex, newline: str) -> list[_Span]:
    spans = []
    for edit in edits:
        start, end = index.offset(edit.start), index.offset(edit.end)
        if end < start:
            raise InvalidEdit(f"edit ends before it starts: {edit}")
        # Rules write "\n"; a CRLF file gets CRLF in the new text too.
        content = edit.content.replace("\r\n", "\n")
        if newline != "\n":
            content = content.replace("\n", newline)
        spans.append(_Span(start, end, content))
    spans.sort(key=lambda s: (s.start, s.end))
    for before, after in pairwise(spans):
        if after.start < before.end:
            raise InvalidEdit(f"the fix's own edits overlap at offset {after.start}")
    return spans


def _conflicts(span: _Span, taken: Sequence[_Span]) -> bool:
    # Closed intervals: edits that touch (two insertions at one point, a replacement
    # ending where another starts) conflict too; the later fix waits for the next pass.
    return any(span.start <= other.end and other.start <= span.end for other in taken)


def apply_fixes(text: str, diagnostics: Iterable[Diagnostic]) -> tuple[str, list[Diagnostic]]:
    """Apply every fix that does not overlap an earlier one; return (text, applied).

    A fix is applied whole or not at all. Fixes are taken in order of their first edit,
    so the outcome does not depend on the rules' order.
    """
    new, applied, _ = _apply(text, diagnostics)
    return new, applied


def _apply(
    text: str, diagnostics: Iterable[Diagnostic]
) -> tuple[str, list[Diagnostic], list[_Span]]:
    index = LineIndex(text)
    newline = line_ending(text)
    candidates = []
    for diagnostic in diagnostics:
        if diagnostic.fix is None or not diagnostic.fix.edits:
            continue
        try:
            spans = _spans(diagnostic.fix.edits, index, newline)
        except InvalidEdit as exc:
            log.warning("ignoring the fix of %s: %s", diagnostic.code, exc)
            continue
        candidates.append((spans[0].start, spans[-1].end, diagnostic.code, spans, diagnostic))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    taken: list[_Span] = []
    applied: list[Diagnostic] = []
    seen_fixes: set[tuple[_Span, ...]] = set()
    for _, _, _, spans, diagnostic in candidates:
        key = tuple(spans)
        if key in seen_fixes:
            # The same fix offered twice (two rules, one problem) is applied once; the
            # members of a migration unit share their fix and are all applied.
            if diagnostic.fix is not None and diagnostic.fix.unit is not None:
                applied.append(diagnostic)
            continue
        if any(_conflicts(span, taken) for span in spans):
            continue
        seen_fixes.add(key)
        taken.extend(spans)
        applied.append(diagnostic)
    return _splice(text, taken), applied, taken


def _splice(text: str, spans: Iterable[_Span]) -> str:
    pieces = []
    cursor = 0
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        pieces.append(text[cursor : span.start])
        pieces.append(span.content)
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply the edits of a single fix (to preview it). Raises ``InvalidEdit``."""
    return _splice(text, _spans(edits, LineIndex(text), line_ending(text)))


def fix_source(
    source: str,
    settings: Settings,
    *,
    unsafe: bool,
    filename: str = "<stdin>",
    max_passes: int = MAX_PASSES,
) -> FixResult:
    """Fix ``source`` as far as it goes: safe fixes, and unsafe ones when ``unsafe``.

    Each pass is checked before it is kept: its result must compile; no fix may leave its
    own diagnostic where it was (it would not converge); and it may not leave a legacy use
    on code it moved to the new implementation. A fix failing the last two checks is left
    out (with its whole migration unit) and the pass tried again without it.
    """
    current = source
    applied: Counter[str] = Counter()
    history = {source}
    repeated: set[str] = set()
    inconsistent: set[str] = set()
    result = check_source(current, filename=filename, settings=settings)
    for _ in range(max_passes):
        if result.syntax_error is not None:
            break
        candidates = _applicable(result, unsafe=unsafe)
        while True:
            new, chosen, spans = _apply(current, candidates)
            if not chosen:
                break
            codes = tuple(sorted({d.code for d in chosen}))
            if not compiles(new, filename):
                log.warning("%s: fixes for %s produced invalid syntax", filename, ", ".join(codes))
                return _finish(
                    current,
                    applied,
                    result,
                    converged=False,
                    rejected=codes,
                    repeated=repeated,
                    inconsistent=inconsistent,
                )
            if new in history:
                # The fixes undo each other (or change nothing): another pass would cycle.
                return _finish(
                    current,
                    applied,
                    result,
                    converged=False,
                    non_converging=codes,
                    repeated=repeated,
                    inconsistent=inconsistent,
                )
            new_result = check_source(new, filename=filename, settings=settings)
            again = _reported_again(current, new, spans, chosen, new_result)
            mixing = _mixing(result, new_result, chosen)
            if not again and not mixing:
                break
            repeated.update(d.code for d in again)
            inconsistent.update(d.code for d in mixing)
            log.warning(
                "%s: leaving out fixes for %s: %s",
                filename,
                ", ".join(sorted({d.code for d in [*again, *mixing]})),
                "their diagnostic stays" if again else "they leave legacy uses on new code",
            )
            candidates = _without(candidates, [*again, *mixing])
        if not chosen:
            break
        history.add(new)
        applied.update(d.code for d in chosen)
        current = new
        result = new_result
    else:
        still = tuple(sorted({d.code for d in _applicable(result, unsafe=unsafe)}))
        return _finish(
            current,
            applied,
            result,
            converged=not still,
            non_converging=still,
            repeated=repeated,
            inconsistent=inconsistent,
        )
    if applied and result.syntax_error is None:
        current, result = _orphans_dropped(source, current, result, settings, filename)
    return _finish(
        current,
        applied,
        result,
        converged=not repeated,
        repeated=repeated,
        inconsistent=inconsistent,
    )


def _orphans_dropped(
    source: str, fixed: str, result: CheckResult, settings: Settings, filename: str
) -> tuple[str, CheckResult]:
    """``fixed`` without the imports its fixes orphaned (``orphaned_imports``), when that
    compiles and finds the same (the lines below them move up)."""
    from lint_plugin.orphaned_imports import orphaned_imports_dropped

    cleaned = orphaned_imports_dropped(source, fixed, settings.modules)
    if cleaned == fixed or not compiles(cleaned, filename):
        return fixed, result
    cleaned_result = check_source(cleaned, filename=filename, settings=settings)
    found = Counter((d.code, d.message) for d in result.diagnostics)
    if Counter((d.code, d.message) for d in cleaned_result.diagnostics) != found:
        return fixed, result
    return cleaned, cleaned_result


def _reported_again(
    before: str,
    after: str,
    spans: list[_Span],
    chosen: list[Diagnostic],
    result: CheckResult,
) -> list[Diagnostic]:
    """The applied fixes whose diagnostic the re-lint reports again at the same place."""
    old_index, new_index = LineIndex(before), LineIndex(after)
    # The message too: removing an argument brings the next one (another finding of the
    # same rule) to where it was.
    reported = {(d.code, d.start, d.message) for d in result.diagnostics}
    found = []
    for diagnostic in chosen:
        try:
            offset = old_index.offset(diagnostic.start)
        except InvalidEdit:
            continue
        moved = new_index.position(_moved_offset(offset, spans))
        if (diagnostic.code, moved, diagnostic.message) in reported:
            found.append(diagnostic)
    return found


def _moved_offset(offset: int, spans: list[_Span]) -> int:
    """Where ``offset`` lands once ``spans`` are spliced in (an edited place: its start)."""
    shift = 0
    for span in spans:
        if span.end <= offset and span.start < offset:
            shift += len(span.content) - (span.end - span.start)
        elif span.start <= offset < span.end:
            return span.start + shift
    return offset + shift


def _mixing(before: CheckResult, after: CheckResult, chosen: list[Diagnostic]) -> list[Diagnostic]:
    """The fixes of a pass that leaves more legacy uses on new code than there were."""
    if not any(after.mixed[code] > before.mixed[code] for code in after.mixed):
        return []
    movers = [d for d in chosen if d.fix is not None and d.fix.unit is not None]
    return movers or list(chosen)


def _without(candidates: list[Diagnostic], left_out: list[Diagnostic]) -> list[Diagnostic]:
    """``candidates`` minus ``left_out`` and every member of their migration units."""
    keys = {(d.code, d.start) for d in left_out}
    units = {d.fix.unit for d in left_out if d.fix is not None and d.fix.unit is not None}
    return [
        d
        for d in candidates
        if (d.code, d.start) not in keys and (d.fix is None or d.fix.unit not in units)
    ]


def _applicable(result: CheckResult, *, unsafe: bool) -> list[Diagnostic]:
    return [
        d for d in result.diagnostics if d.fix is not None and d.fix.is_applicable(unsafe=unsafe)
    ]


def _finish(
    source: str,
    applied: Counter[str],
    result: CheckResult,
    *,
    converged: bool,
    non_converging: tuple[str, ...] = (),
    rejected: tuple[str, ...] = (),
    repeated: set[str] | None = None,
    inconsistent: set[str] | None = None,
) -> FixResult:
    return FixResult(
        source=source,
        applied=applied,
        remaining=list(result.diagnostics),
        converged=converged and not repeated,
        non_converging=tuple(sorted({*non_converging, *(repeated or ())})),
        rejected=rejected,
        inconsistent=tuple(sorted(inconsistent or ())),
        syntax_error=result.syntax_error,
        noqa_warnings=list(result.noqa_warnings),
    )
