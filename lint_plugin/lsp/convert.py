"""Engine <-> LSP: positions, ranges, diagnostics and edits.

The engine counts columns in code points; LSP counts them in the position encoding the
client and server agreed on: UTF-16 code units unless the client offered UTF-8 or UTF-32.
An emoji is one code point, two UTF-16 units and four UTF-8 bytes.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from typing import Any

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
LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


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


def column_of(line: str, character: int, encoding: Encoding) -> int:
    """An LSP column on ``line`` in code points; a column inside a character rounds down,
    one past the end is the end."""
    if encoding is Encoding.UTF32 or line.isascii():
        return min(max(character, 0), len(line))
    counted = 0
    for column, char in enumerate(line):
        counted += units(char, encoding)
        if counted > character:
            return column
    return len(line)


#: How much of a buffer ``_newline_starts`` splits at a time.
SCAN_PIECE = 1 << 16


def _newline_starts(text: str) -> array[int]:
    """Where each line of a text without ``\r`` starts, and one more. ``str.split`` runs
    in C, but on the whole of a 10 MB buffer its list of lines is 24 MB more at the peak:
    it splits a piece at a time."""
    starts = array("q", [0])
    for at in range(0, len(text), SCAN_PIECE):
        lengths = text[at : at + SCAN_PIECE].split("\n")
        lengths.pop()  # what follows the piece's last line break (or all of it)
        starts.extend(accumulate(map(len, lengths), lambda end, n: end + n + 1, initial=at))
        starts.pop(len(starts) - len(lengths) - 1)  # ``initial``: the piece's start
    starts.append(len(text) + 1)  # past the last line's end, as if a break followed it
    return starts


class TextLines:
    """A document's lines, to convert positions both ways.

    Kept as where each line starts and ends, not as a list of strings: for a 10 MB buffer
    the list costs 27 MB, the offsets 2.5 MB (twice that with \\r line breaks).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.ascii = text.isascii()
        self._ends: array[int] | None
        if "\r" not in text:
            # Most buffers: a line ends one before the next starts.
            self._starts = _newline_starts(text)
            self._ends = None
        else:
            breaks = LINE_BREAK_RE.finditer(text)
            self._starts = array("q", [0])
            self._ends = array("q")
            for found in breaks:  # one match at a time: a list of them is 80 bytes a line
                self._starts.append(found.end())
                self._ends.append(found.start())
            self._ends.append(len(text))
        self.count = len(self._starts) - (1 if self._ends is None else 0)
        """LSP's lines: the last one is empty when the text ends with a line break."""

    def line(self, index: int) -> str:
        """The 0-based line ``index``, without its line break."""
        return self.text[self._starts[index] : self._end(index)]

    def _end(self, index: int) -> int:
        return self._starts[index + 1] - 1 if self._ends is None else self._ends[index]

    def lsp_units(self, position: Position, encoding: Encoding) -> tuple[int, int]:
        """An engine position (1-based line, code points) as LSP's line and column, clamped
        to the text."""
        index = min(max(position.line - 1, 0), self.count - 1)
        if position.line - 1 > index:
            column = self._end(index) - self._starts[index]
        else:
            column = min(max(position.column, 0), self._end(index) - self._starts[index])
        if self.ascii or encoding is Encoding.UTF32:
            return index, column
        start = self._starts[index]
        return index, units(self.text[start : start + column], encoding)

    def to_lsp(self, position: Position, encoding: Encoding) -> types.Position:
        """An engine position (1-based line, code points) as an LSP one, clamped to the text."""
        return types.Position(*self.lsp_units(position, encoding))

    def from_lsp(self, position: types.Position, encoding: Encoding) -> Position:
        """An LSP position as an engine one; a column inside a character rounds down."""
        if position.line >= self.count:
            return Position(self.count, len(self.line(self.count - 1)))
        line = self.line(position.line)
        return Position(position.line + 1, column_of(line, position.character, encoding))

    def range(self, start: Position, end: Position, encoding: Encoding) -> types.Range:
        return types.Range(self.to_lsp(start, encoding), self.to_lsp(end, encoding))

    def end(self, encoding: Encoding) -> types.Position:
        return types.Position(self.count - 1, units(self.line(self.count - 1), encoding))

    def whole(self, encoding: Encoding) -> types.Range:
        return types.Range(types.Position(0, 0), self.end(encoding))


def fix_or_hint(diagnostic: Diagnostic) -> str | None:
    """What the message ends with: the fix that an action applies, else the manual hint."""
    fix = diagnostic.fix
    if fix is not None and fix.has_edits and fix.applicability is not Applicability.DISPLAY_ONLY:
        return f"fix: {fix.title}"
    title = fix.title if fix is not None else diagnostic.fix_title
    return f"hint: {title}" if title else None


def _message(diagnostic: Diagnostic, suffix: str | None) -> str:
    return f"{diagnostic.message} ({suffix})" if suffix else diagnostic.message


def _is_deprecated(code: str) -> bool:
    # Deprecated or removed API is struck through; valid code whose meaning changed is not.
    rule = RULES_BY_CODE.get(code)
    return rule is None or rule.spec.flags_deprecated_api


def to_lsp_diagnostic(
    diagnostic: Diagnostic, lines: TextLines, encoding: Encoding
) -> types.Diagnostic:
    rule = RULES_BY_CODE.get(diagnostic.code)
    return types.Diagnostic(
        range=lines.range(diagnostic.start, diagnostic.end, encoding),
        message=_message(diagnostic, fix_or_hint(diagnostic)),
        severity=LSP_SEVERITY[severity_of(diagnostic.code)],
        code=diagnostic.code,
        code_description=types.CodeDescription(href=rule.spec.url) if rule else None,
        source=SOURCE,
        tags=[types.DiagnosticTag.Deprecated] if _is_deprecated(diagnostic.code) else None,
    )


_RULE_FIELDS: dict[str, dict[str, Any]] = {}


def _rule_fields(code: str) -> dict[str, Any]:
    """What a code's diagnostics share, in JSON: ``to_lsp_diagnostic``'s fields."""
    fields = _RULE_FIELDS.get(code)
    if fields is None:
        rule = RULES_BY_CODE.get(code)
        fields = {"severity": LSP_SEVERITY[severity_of(code)].value, "code": code}
        if rule is not None:
            fields["codeDescription"] = {"href": rule.spec.url}
        fields["source"] = SOURCE
        if _is_deprecated(code):
            fields["tags"] = [types.DiagnosticTag.Deprecated.value]
        _RULE_FIELDS[code] = fields
    return fields


#: Up to this many diagnostics, their JSON parts are made once and held (~500 bytes each).
HELD_PARTS = 10_000


class WireDiagnostics:
    """Diagnostics as the JSON text of an LSP ``Diagnostic[]`` (``to_lsp_diagnostic``'s
    fields), for one document's publications and pull reports.

    Building lsprotocol objects and unstructuring them with cattrs cost 25 ms for 1,200
    diagnostics, more than the rest of the server's work on an edit. Each diagnostic's JSON
    is its range, formatted, then a tail (message and rule fields) shared by all those with
    the same code, message and suffix: a fifth as many in a dense module. Tails are kept for
    the next encoding; whole fragments are not (700 bytes a diagnostic, most of them moved
    by any edit above).
    """

    def __init__(self) -> None:
        self.tails: dict[tuple[str, str, str | None], str] = {}
        """The tails of the last encoding, by code, message and suffix."""

    def encode(
        self, diagnostics: Sequence[Diagnostic], lines: TextLines, encoding: Encoding
    ) -> Iterable[str]:
        """The JSON array, in parts. Above :data:`HELD_PARTS` diagnostics the parts are
        made each time they are iterated (a 10 MB buffer's diagnostics are tens of MB of
        JSON: never held whole); below, once (the server iterates twice: to count, then to
        send, and an edit's latency counts)."""
        encoded = _Encoded(self, diagnostics, lines, encoding)
        return list(encoded) if len(diagnostics) <= HELD_PARTS else encoded


class _Encoded:
    def __init__(
        self,
        wire: WireDiagnostics,
        diagnostics: Sequence[Diagnostic],
        lines: TextLines,
        encoding: Encoding,
    ) -> None:
        self._wire, self._diagnostics = wire, diagnostics
        self._lines, self._encoding = lines, encoding

    def __iter__(self) -> Iterator[str]:
        lines, encoding = self._lines, self._encoding
        previous = self._wire.tails
        kept: dict[tuple[str, str, str | None], str] = {}
        yield "["
        separator = ""
        for diagnostic in self._diagnostics:
            start_line, start_character = lines.lsp_units(diagnostic.start, encoding)
            end_line, end_character = lines.lsp_units(diagnostic.end, encoding)
            suffix = fix_or_hint(diagnostic)
            key = (diagnostic.code, diagnostic.message, suffix)
            tail = kept.get(key) or previous.get(key)
            if tail is None:
                fields = {"message": _message(diagnostic, suffix), **_rule_fields(diagnostic.code)}
                # Without its "{": the range goes first, as in ``to_lsp_diagnostic``.
                tail = json.dumps(fields, separators=(",", ":"))[1:]
            kept[key] = tail
            yield (
                f'{separator}{{"range":{{"start":{{"line":{start_line},'
                f'"character":{start_character}}},"end":{{"line":{end_line},'
                f'"character":{end_character}}}}},{tail}'
            )
            separator = ","
        yield "]"
        self._wire.tails = kept


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
