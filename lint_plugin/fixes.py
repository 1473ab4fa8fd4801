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
            # The same fix offered twice (two rules, one problem) is applied once.
            continue
        if any(_conflicts(span, taken) for span in spans):
            continue
        seen_fixes.add(key)
        taken.extend(spans)
        applied.append(diagnostic)
    return _splice(text, taken), applied


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
    """Fix ``source`` as far as it goes: safe fixes, and unsafe ones when ``unsafe``."""
    current = source
    applied: Counter[str] = Counter()
    history = {source}
    result = check_source(current, filename=filename, settings=settings)
    for _ in range(max_passes):
        if result.syntax_error is not None:
            break
        new, chosen = apply_fixes(current, _applicable(result, unsafe=unsafe))
        if not chosen:
            break
        codes = tuple(sorted({d.code for d in chosen}))
        if not _parses(new, filename):
            log.warning("%s: fixes for %s produced invalid syntax", filename, ", ".join(codes))
            return _finish(current, applied, result, converged=False, rejected=codes)
        if new in history:
            # The fixes undo each other (or change nothing): another pass would cycle.
            return _finish(current, applied, result, converged=False, non_converging=codes)
        history.add(new)
        applied.update(d.code for d in chosen)
        current = new
        result = check_source(current, filename=filename, settings=settings)
    else:
        still = tuple(sorted({d.code for d in _applicable(result, unsafe=unsafe)}))
        return _finish(current, applied, result, converged=not still, non_converging=still)
    return _finish(current, applied, result, converged=True)


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
) -> FixResult:
    return FixResult(
        source=source,
        applied=applied,
        remaining=list(result.diagnostics),
        converged=converged,
        non_converging=non_converging,
        rejected=rejected,
        syntax_error=result.syntax_error,
        noqa_warnings=list(result.noqa_warnings),
    )


def _parses(text: str, filename: str) -> bool:
    # compile(), not ast.parse(): some errors (a repeated keyword argument) are only
    # raised by the compiler.
    try:
        compile(text, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
