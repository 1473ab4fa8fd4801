"""The human formats: ``concise`` (one line each) and ``full`` (code frame, help, fix diff)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from lint_plugin.fixes import InvalidEdit, apply_edits
from lint_plugin.model import Applicability, Fix, Position
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
    for file, violation in report.violations():
        yield header(violation, unsafe=report.unsafe_fixes, palette=palette)
        lines = source_lines(file.source) if file.source is not None else []
        last_shown = min(violation.end.line + CONTEXT_LINES, len(lines))
        width = len(str(max(last_shown, violation.start.line)))
        location = f"{violation.start.line}:{violation.start.column + 1}"
        arrow = palette.paint("-->", "gutter")
        yield f"{' ' * width}{arrow} {palette.paint(f'{file.display}:{location}', 'path')}"
        if lines and violation.start.line <= len(lines):
            yield from code_frame(lines, violation.start, violation.end, width, palette)
        if violation.fix_title:
            yield f"{palette.paint('help', 'help')}: {violation.fix_title}"
        if violation.fix is not None and file.source is not None:
            yield from fix_preview(file.source, violation.fix, palette)
        yield ""


def _display(text: str) -> str:
    return text.replace("\t", _TAB)


def code_frame(
    lines: list[str], start: Position, end: Position, width: int, palette: Palette = PLAIN
) -> Iterator[str]:
    """The lines around ``start``..``end`` with the range underlined by carets."""
    end = max(end, start)
    end_line = min(end.line, len(lines))
    first = max(start.line - CONTEXT_LINES, 1)
    last = min(end_line + CONTEXT_LINES, len(lines))
    gutter = " " * width
    bar = palette.paint("|", "gutter")
    yield f"{gutter} {bar}"
    for number in range(first, last + 1):
        line = lines[number - 1]
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


def fix_preview(source: str, fix: Fix, palette: Palette = PLAIN) -> Iterator[str]:
    """The fix as a numbered diff of the lines it changes, then a note on its safety."""
    try:
        fixed = apply_edits(source, fix.edits)
    except InvalidEdit:
        return
    if fixed == source:
        return
    before, after = source_lines(source), source_lines(fixed)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    width = len(str(max(len(before), len(after), 1)))
    blank = " " * width
    for index, group in enumerate(matcher.get_grouped_opcodes(1)):
        if index:
            yield f"{blank} {blank} ..."
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for offset, line in enumerate(before[i1:i2]):
                    numbers = f"{i1 + offset + 1:>{width}} {j1 + offset + 1:>{width}}"
                    yield f"{numbers} | {_display(line)}".rstrip()
                continue
            for offset, line in enumerate(before[i1:i2]):
                removed = palette.paint(f"-{_display(line)}", "removed")
                yield f"{i1 + offset + 1:>{width}} {blank} |{removed}"
            for offset, line in enumerate(after[j1:j2]):
                added = palette.paint(f"+{_display(line)}", "added")
                yield f"{blank} {j1 + offset + 1:>{width}} |{added}"
    if fix_waits_for_upgrade(fix):
        yield palette.paint(UPGRADE_NOTE, "note")
    elif note := _NOTES.get(fix.applicability):
        yield palette.paint(note, "note")
