"""The human formats: ``concise`` (one line each) and ``full`` (code frame, help, fix diff)."""

from __future__ import annotations

import difflib
import re
from array import array
from collections.abc import Iterator
from typing import Literal

from lint_plugin.fixes import InvalidEdit, apply_edits, line_ending
from lint_plugin.model import Applicability, Edit, Fix, Position
from lint_plugin.output.colour import PLAIN, Palette
from lint_plugin.output.report import FileReport, RunReport, Violation
from lint_plugin.upgrade import fix_waits_for_upgrade

_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
UPGRADE_NOTE = "note: This fix needs a newer websockets than the target version: shown, not applied"
_TAB = "    "
CONTEXT_LINES = 2

_NOTES = {
    Applicability.UNSAFE: "note: This is an unsafe fix and may change runtime behavior",
    Applicability.DISPLAY_ONLY: "note: This is a display-only fix and is likely to be incorrect",
}


def source_lines(text: str) -> list[str]:
    """Lines as Python counts them (not ``str.splitlines``, which also breaks on \\x0c)."""
    lines = _LINE_BREAK_RE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


class SourceLines:
    """The lines of a text as ``source_lines`` splits them, cut out when asked: a large
    file's report holds its line starts (8 bytes a line), not a string per line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = array("q", [0])
        self.starts.extend(found.end() for found in _LINE_BREAK_RE.finditer(text))
        ends_with_break = self.starts[-1] == len(text)
        self.count = len(self.starts) - 1 if ends_with_break else len(self.starts)

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < self.count:
            raise IndexError(index)
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[index] : end].rstrip("\r\n")

    def between(self, first: int, last: int) -> list[str]:
        """Lines ``first`` to ``last`` (0-based, inclusive), cut out at once."""
        end = self.starts[last + 1] if last + 1 < len(self.starts) else len(self.text)
        return source_lines(self.text[self.starts[first] : end])


def header(violation: Violation, *, unsafe: bool, palette: Palette = PLAIN) -> str:
    if violation.code is None:
        return f"{palette.paint(violation.name, 'code')}: {violation.message}"
    marker = " " + palette.paint("[*]", "fixable") if violation.fixable(unsafe=unsafe) else ""
    return f"{palette.paint(violation.code, 'code')}{marker} {violation.message}"


def concise_line(
    file: FileReport, violation: Violation, *, unsafe: bool, palette: Palette = PLAIN
) -> str:
    where = f"{file.display}:{violation.start.line}:{violation.start.column + 1}"
    return f"{palette.paint(where, 'path')}: {header(violation, unsafe=unsafe, palette=palette)}"


def render_concise(report: RunReport, palette: Palette = PLAIN) -> Iterator[str]:
    for file, violation in report.violations():
        yield concise_line(file, violation, unsafe=report.unsafe_fixes, palette=palette)


def render_full(report: RunReport, palette: Palette = PLAIN) -> Iterator[str]:
    current: FileReport | None = None
    lines = SourceLines("")
    previews: FixPreviews | None = None
    for file, violation in report.violations():
        if file is not current:
            # Indexed once per file: each finding's frame and preview read a few lines.
            current = file
            lines = SourceLines(file.source or "")
            previews = FixPreviews(lines) if file.source is not None else None
        yield header(violation, unsafe=report.unsafe_fixes, palette=palette)
        last_shown = min(violation.end.line + CONTEXT_LINES, len(lines))
        width = len(str(max(last_shown, violation.start.line)))
        location = f"{violation.start.line}:{violation.start.column + 1}"
        arrow = palette.paint("-->", "gutter")
        yield f"{' ' * width}{arrow} {palette.paint(f'{file.display}:{location}', 'path')}"
        if lines and violation.start.line <= len(lines):
            yield from code_frame(lines, violation.start, violation.end, width, palette)
        if violation.fix_title:
            yield f"{palette.paint('help', 'help')}: {violation.fix_title}"
        if violation.fix is not None and previews is not None:
            yield from previews.preview(violation.fix, palette)
        yield ""


def _display(text: str) -> str:
    return text.replace("\t", _TAB)


def code_frame(
    lines: SourceLines, start: Position, end: Position, width: int, palette: Palette = PLAIN
) -> Iterator[str]:
    """The lines around ``start``..``end`` with the range underlined by carets."""
    end = max(end, start)
    end_line = min(end.line, len(lines))
    first = max(start.line - CONTEXT_LINES, 1)
    last = min(end_line + CONTEXT_LINES, len(lines))
    gutter = " " * width
    bar = palette.paint("|", "gutter")
    yield f"{gutter} {bar}"
    for number, line in enumerate(lines.between(first - 1, last - 1), first):
        yield f"{palette.paint(f'{number:>{width}} |', 'gutter')} {_display(line)}".rstrip()
        if start.line <= number <= end_line:
            begin = start.column if number == start.line else len(line) - len(line.lstrip())
            finish = end.column if number == end.line else len(line)
            begin = min(begin, len(line))
            finish = min(max(finish, begin), len(line))
            pad = len(_display(line[:begin]))
            carets = max(len(_display(line[begin:finish])), 1)
            yield f"{gutter} {bar} {' ' * pad}{palette.paint('^' * carets, 'carets')}"
    yield f"{gutter} {bar}"


def _common(before: list[str], after: list[str], limit: int) -> int:
    """How many first lines ``before`` and ``after`` share (at most ``limit``)."""
    count = 0
    while count < limit and before[count] == after[count]:
        count += 1
    return count


_Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


class _Opcodes(difflib.SequenceMatcher[str]):
    """A matcher whose opcodes are known: ``get_grouped_opcodes`` groups them."""

    def __init__(self, codes: list[_Opcode]) -> None:
        super().__init__(autojunk=False)
        self.codes = codes

    def get_opcodes(self) -> list[_Opcode]:
        return list(self.codes)


class FixPreviews:
    """The fix previews of one file. Each fix is applied to the lines its edits span and
    diffed there, the rest of the file being the same on both sides: a preview costs the
    size of the fix, not of the file (a finding per few lines made large files quadratic).
    """

    def __init__(self, lines: SourceLines) -> None:
        self.source = lines.text
        self.lines = lines
        self.starts = lines.starts
        self.newline = line_ending(lines.text)

    def preview(self, fix: Fix, palette: Palette = PLAIN) -> Iterator[str]:
        if not fix.edits:
            return
        first = min(edit.start.line for edit in fix.edits)
        last = max(edit.end.line for edit in fix.edits)
        if not 1 <= first <= last <= len(self.starts):
            return  # an edit outside the text: apply_edits would refuse it
        low = self.starts[first - 1]
        high = self.starts[last] if last < len(self.starts) else len(self.source)
        window = self.source[low:high]
        shifted = [
            Edit(
                Position(edit.start.line - first + 1, edit.start.column),
                Position(edit.end.line - first + 1, edit.end.column),
                edit.content,
            )
            for edit in fix.edits
        ]
        try:
            fixed = apply_edits(window, shifted)
        except InvalidEdit:
            return
        if fixed == window:
            return
        if line_ending(window) == self.newline and self._splits_alike(low, high, fixed):
            yield from self._diff(first - 1, source_lines(window), source_lines(fixed), palette)
        else:
            # The window's lines would not be the file's (line endings, a joined line):
            # the whole file is the window.
            whole = source_lines(apply_edits(self.source, fix.edits))
            yield from self._diff(0, source_lines(self.source), whole, palette)
        if fix_waits_for_upgrade(fix):
            yield palette.paint(UPGRADE_NOTE, "note")
        elif note := _NOTES.get(fix.applicability):
            yield palette.paint(note, "note")

    def _splits_alike(self, low: int, high: int, fixed: str) -> bool:
        """Are the lines of the fixed file those before ``low``, those of ``fixed`` and
        those from ``high`` on?"""
        rest = self.source[high : high + 1]
        if rest and fixed and fixed[-1] not in "\r\n":
            return False
        if fixed.endswith("\r") and rest == "\n":
            return False
        return not (self.source[low - 1 : low] == "\r" and (fixed or rest).startswith("\n"))

    def _diff(
        self, head: int, before: list[str], after: list[str], palette: Palette
    ) -> Iterator[str]:
        """The grouped diff of the file whose lines ``head`` on change from ``before`` to
        ``after``: the lines both share around the change are matched as they are."""
        if before == after:
            return  # a change of line breaks only: no line differs
        shorter = min(len(before), len(after))
        same = _common(before, after, shorter)
        tail = _common(before[::-1], after[::-1], shorter)
        # SequenceMatcher takes the longer of the file's equal head and tail first; the
        # other stops where they would overlap.
        if len(self.lines) - head - len(before) + tail > head + same:
            same = min(same, shorter - tail)
        else:
            tail = min(tail, shorter - same)
        start = head + same
        middle = difflib.SequenceMatcher(
            a=before[same : len(before) - tail], b=after[same : len(after) - tail], autojunk=False
        )
        total_before = len(self.lines)
        total_after = total_before - len(before) + len(after)
        codes: list[_Opcode] = [("equal", 0, start, 0, start)] if start else []
        codes += [
            (tag, i1 + start, i2 + start, j1 + start, j2 + start)
            for tag, i1, i2, j1, j2 in middle.get_opcodes()
        ]
        end_before, end_after = head + len(before) - tail, head + len(after) - tail
        if end_before < total_before:
            codes.append(("equal", end_before, total_before, end_after, total_after))

        def after_line(index: int) -> str:
            if index < head:
                return self.lines[index]
            if index < head + len(after):
                return after[index - head]
            return self.lines[index - len(after) + len(before)]

        width = len(str(max(total_before, total_after, 1)))
        blank = " " * width
        for index, group in enumerate(_Opcodes(codes).get_grouped_opcodes(1)):
            if index:
                yield f"{blank} {blank} ..."
            for tag, i1, i2, j1, j2 in group:
                if tag == "equal":
                    for offset in range(i2 - i1):
                        numbers = f"{i1 + offset + 1:>{width}} {j1 + offset + 1:>{width}}"
                        yield f"{numbers} | {_display(self.lines[i1 + offset])}".rstrip()
                    continue
                for offset in range(i2 - i1):
                    removed = palette.paint(f"-{_display(self.lines[i1 + offset])}", "removed")
                    yield f"{i1 + offset + 1:>{width}} {blank} |{removed}"
                for offset in range(j2 - j1):
                    added = palette.paint(f"+{_display(after_line(j1 + offset))}", "added")
                    yield f"{blank} {j1 + offset + 1:>{width}} |{added}"
