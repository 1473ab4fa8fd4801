"""Writing ``# noqa`` comments: where one can go, extending one that is there.

Used by ``wsu check --add-noqa`` and the editor's "Disable WSUxxx for this line". A
comment is only added where it cannot change the code: not on a line that ends inside a
multi-line string (the comment would become text), nor after a backslash continuation (a
syntax error), nor beside a malformed directive (which would hide the new one). Those
lines are reported as skipped instead.
"""

from __future__ import annotations

import io
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lint_plugin.fixes import LineIndex, apply_edits
from lint_plugin.model import Edit, Position
from lint_plugin.noqa import parse_noqa


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
        self.inside_string: set[int] = set()
        self.ended: set[int] = set()
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        except (tokenize.TokenError, SyntaxError):
            self.tokenized = False
            return
        self.tokenized = True
        for token in tokens:
            if token.end[0] > token.start[0]:
                self.inside_string.update(range(token.start[0], token.end[0]))
            if token.type in (tokenize.NEWLINE, tokenize.NL):
                self.ended.add(token.start[0])

    def _line_text(self, line: int) -> str:
        start = self.index.starts[line - 1]
        end = self.index.starts[line] if line < len(self.index.starts) else len(self.source)
        return self.source[start:end].rstrip("\r\n")

    def edit(self, line: int, codes: Sequence[str]) -> Edit | Skipped | None:
        """The edit making the directive on ``line`` cover ``codes``; ``None`` when it
        already does; ``Skipped`` when no comment can go there."""
        if not 1 <= line <= len(self.index.starts):
            return Skipped(line, "no such line")
        if line in self.malformed:
            return Skipped(line, "a malformed noqa directive is there; correct it first")
        text = self._line_text(line)
        directive = self.directives.get(line)
        if directive is not None:
            missing = [code for code in codes if not directive.suppresses(code)]
            if not missing:
                return None
            # Right after the last code, before any text that follows the list.
            listed = text[directive.column : directive.end_column].rstrip()
            at = Position(line, directive.column + len(listed))
            return Edit.insertion(at, "".join(f", {code}" for code in missing))
        if not self.tokenized:
            return Skipped(line, "the file does not tokenize")
        if line in self.inside_string:
            return Skipped(line, "the line ends inside a multi-line string")
        if line not in self.ended:
            return Skipped(line, "the line ends with a backslash continuation")
        content = text.rstrip()
        return Edit(
            Position(line, len(content)),
            Position(line, len(text)),
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
    by_line: dict[int, list[str]] = {}
    for line, code in findings:
        codes = by_line.setdefault(line, [])
        if code not in codes:
            codes.append(code)
    placer = NoqaPlacer(source)
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
