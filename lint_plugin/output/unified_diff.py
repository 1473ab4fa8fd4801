"""``--diff``: what ``--fix`` would change, as unified diffs."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from lint_plugin.output.report import RunReport

_AFTER_LINE_BREAK_RE = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")


def lines_with_ends(text: str) -> list[str]:
    """Split after each line break Python counts (``str.splitlines`` also splits on \x0c)."""
    return [line for line in _AFTER_LINE_BREAK_RE.split(text) if line]


def render_diffs(report: RunReport) -> Iterator[str]:
    """Diff text, one chunk per changed file, each line ending with a newline."""
    for file in sorted(report.files, key=lambda f: f.display):
        if file.fixed_source is None or file.source is None or file.fixed_source == file.source:
            continue
        before, after = lines_with_ends(file.source), lines_with_ends(file.fixed_source)
        for line in difflib.unified_diff(before, after, fromfile=file.display, tofile=file.display):
            if line.endswith(("\n", "\r")):
                yield line
            else:
                yield line + "\n\\ No newline at end of file\n"
        yield "\n"
