"""Engine <-> LSP: positions, ranges, diagnostics and edits.

The engine counts columns in code points; LSP counts them in the position encoding the
client and server agreed on: UTF-16 code units unless the client offered UTF-8 or UTF-32.
An emoji is one code point, two UTF-16 units and four UTF-8 bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from lsprotocol import types

from lint_plugin.backports import StrEnum
from lint_plugin.fixes import line_ending
from lint_plugin.model import Applicability, Diagnostic, Edit, Position
from lint_plugin.rules import RULES_BY_CODE
from lint_plugin.severity import Severity, severity_of

SOURCE = "wsu"
LSP_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.NOTE: types.DiagnosticSeverity.Information,
}
# LSP's line breaks (and Python's): not str.splitlines, which also breaks on \x0c, \u2028...
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


class Encoding(StrEnum):
    UTF8 = "utf-8"
    UTF16 = "utf-16"
    UTF32 = "utf-32"

    @classmethod
    def negotiated(cls, value: object) -> Encoding:
        """The encoding pygls chose from the client's ``general.positionEncodings``."""
        try:
            return cls(str(getattr(value, "value", value)))
        except ValueError:
            return cls.UTF16


def units(text: str, encoding: Encoding) -> int:
    """The length of ``text`` in the encoding's code units."""
    if encoding is Encoding.UTF32 or text.isascii():
        return len(text)
    if encoding is Encoding.UTF16:
        return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)
    # surrogatepass: a lone surrogate (possible in JSON text) still has a length.
    return len(text.encode("utf-8", "surrogatepass"))


class TextLines:
    """A document's lines, to convert positions both ways."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = _LINE_BREAK_RE.split(text)
        """The last one is empty when the text ends with a line break, as in LSP."""

    def to_lsp(self, position: Position, encoding: Encoding) -> types.Position:
        """An engine position (1-based line, code points) as an LSP one, clamped to the text."""
        index = position.line - 1
        if index >= len(self.lines):
            return self.end(encoding)
        line = self.lines[max(index, 0)]
        return types.Position(max(index, 0), units(line[: max(position.column, 0)], encoding))

    def from_lsp(self, position: types.Position, encoding: Encoding) -> Position:
        """An LSP position as an engine one; a column inside a character rounds down."""
        if position.line >= len(self.lines):
            last = len(self.lines)
            return Position(last, len(self.lines[-1]))
        line = self.lines[position.line]
        wanted = position.character
        if encoding is Encoding.UTF32 or line.isascii():
            return Position(position.line + 1, min(wanted, len(line)))
        counted = 0
        for column, char in enumerate(line):
            counted += units(char, encoding)
            if counted > wanted:
                return Position(position.line + 1, column)
        return Position(position.line + 1, len(line))

    def range(self, start: Position, end: Position, encoding: Encoding) -> types.Range:
        return types.Range(self.to_lsp(start, encoding), self.to_lsp(end, encoding))

    def end(self, encoding: Encoding) -> types.Position:
        return types.Position(len(self.lines) - 1, units(self.lines[-1], encoding))

    def whole(self, encoding: Encoding) -> types.Range:
        return types.Range(types.Position(0, 0), self.end(encoding))


def fix_or_hint(diagnostic: Diagnostic) -> str | None:
    """What the message ends with: the fix that an action applies, else the manual hint."""
    fix = diagnostic.fix
    if fix is not None and fix.edits and fix.applicability is not Applicability.DISPLAY_ONLY:
        return f"fix: {fix.title}"
    title = fix.title if fix is not None else diagnostic.fix_title
    return f"hint: {title}" if title else None


def to_lsp_diagnostic(
    diagnostic: Diagnostic, lines: TextLines, encoding: Encoding
) -> types.Diagnostic:
    rule = RULES_BY_CODE.get(diagnostic.code)
    suffix = fix_or_hint(diagnostic)
    return types.Diagnostic(
        range=lines.range(diagnostic.start, diagnostic.end, encoding),
        message=f"{diagnostic.message} ({suffix})" if suffix else diagnostic.message,
        severity=LSP_SEVERITY[severity_of(diagnostic.code)],
        code=diagnostic.code,
        code_description=types.CodeDescription(href=rule.spec.url) if rule else None,
        source=SOURCE,
        # Deprecated or removed API is struck through; valid code whose meaning changed is not.
        tags=[types.DiagnosticTag.Deprecated]
        if rule is None or rule.spec.flags_deprecated_api
        else None,
    )


def to_lsp_diagnostics(
    diagnostics: Iterable[Diagnostic], lines: TextLines, encoding: Encoding
) -> list[types.Diagnostic]:
    return [to_lsp_diagnostic(d, lines, encoding) for d in diagnostics]


def to_text_edits(
    edits: Sequence[Edit], lines: TextLines, encoding: Encoding
) -> list[types.TextEdit]:
    """A fix's edits, with the rules' "\\n" turned into the document's line ending."""
    newline = line_ending(lines.text)
    result = []
    for edit in edits:
        content = edit.content.replace("\r\n", "\n")
        if newline != "\n":
            content = content.replace("\n", newline)
        result.append(types.TextEdit(lines.range(edit.start, edit.end, encoding), content))
    return result
