"""Writing ``# noqa`` comments: where one can go, extending one that is there.

Used by ``wsu check --add-noqa`` and the editor's "Disable WSUxxx for this line". A
comment is only added where it cannot change the code: a finding on a line that ends
inside a multi-line string (the comment would become text) or with a backslash (a syntax
error) gets its directive at the end of the next line that can hold one, where the string
or the statement ends, as in ruff (``lint_plugin.noqa.comment_lines``). A line beside a
malformed directive (which would hide the new one) is reported as skipped instead.
"""

from __future__ import annotations

import io
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lint_plugin.fixes import LineIndex, apply_edits
from lint_plugin.model import Edit, Position
from lint_plugin.noqa import comment_lines, parse_noqa


@dataclass(frozen=True)
class Skipped:
    line: int
    reason: str


class NoqaPlacer:
    """Knows, for one source text, where ``# noqa`` comments can go."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.index = LineIndex(source)
        self.directives, warnings = parse_noqa(source)
        self.malformed = {warning.line for warning in warnings}
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        except (tokenize.TokenError, SyntaxError):
            self.tokenized = False
            return
        self.tokenized = True
        self.covering = comment_lines(tokens)

    def _line_text(self, line: int) -> str:
        start = self.index.starts[line - 1]
        end = self.index.starts[line] if line < len(self.index.starts) else len(self.source)
        return self.source[start:end].rstrip("\r\n")

    def target(self, line: int) -> int:
        """The line whose comment applies to ``line``."""
        directive = self.directives.get(line)
        if directive is not None:
            return directive.line
        return self.covering.get(line, line) if self.tokenized else line

    def edit(self, line: int, codes: Sequence[str]) -> Edit | Skipped | None:
        """The edit making the directive that applies to ``line`` cover ``codes``: on that
        line, or on the one that stands for it. ``None`` when it already does; ``Skipped``
        when no comment can go there."""
        if not 1 <= line <= len(self.index.starts):
            return Skipped(line, "no such line")
        directive = self.directives.get(line)
        if directive is not None:
            missing = [code for code in codes if not directive.suppresses(code)]
            if not missing:
                return None
            # Right after the last code, before any text that follows the list.
            text = self._line_text(directive.line)
            listed = text[directive.column : directive.end_column].rstrip()
            at = Position(directive.line, directive.column + len(listed))
            return Edit.insertion(at, "".join(f", {code}" for code in missing))
        if not self.tokenized:
            return Skipped(line, "the file does not tokenize")
        target = self.target(line)
        if target in self.malformed:
            return Skipped(line, "a malformed noqa directive is there; correct it first")
        text = self._line_text(target)
        content = text.rstrip()
        return Edit(
            Position(target, len(content)),
            Position(target, len(text)),
            f"  # noqa: {', '.join(codes)}",
        )


@dataclass
class NoqaAddition:
    text: str
    """The source with the directives added."""
    added: int = 0
    """Directives written or extended."""
    skipped: list[Skipped] = field(default_factory=list)


def add_noqa(source: str, findings: Iterable[tuple[int, str]]) -> NoqaAddition:
    """Add ``# noqa: CODE`` for every (line, code) finding, merged per line with what is
    there."""
    placer = NoqaPlacer(source)
    # Findings whose comment goes on the same line share one directive.
    by_line: dict[int, list[str]] = {}
    for line, code in findings:
        codes = by_line.setdefault(placer.target(line), [])
        if code not in codes:
            codes.append(code)
    edits = []
    result = NoqaAddition(source)
    for line in sorted(by_line):
        outcome = placer.edit(line, sorted(by_line[line]))
        if isinstance(outcome, Skipped):
            result.skipped.append(outcome)
        elif outcome is not None:
            edits.append(outcome)
    if edits:
        result.text = apply_edits(source, edits)
        result.added = len(edits)
    return result
