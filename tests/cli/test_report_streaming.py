"""Reports are written as they are made: a large module's findings never sit in memory
as text, and what is written is what the whole report would have been."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path

import pytest

from lint_plugin.model import Position
from lint_plugin.output import OutputOptions, write_report
from lint_plugin.output.json_format import json_items
from lint_plugin.output.report import FileReport, RunReport, Violation
from lint_plugin.output.text import SourceLines, source_lines

TEXTS = [
    "",
    "\n",
    "a",
    "a\n",
    "a\r\nb\rc\nd",
    "a\r\r\nb\n\n",
    "\r\n\r\n",
    "x = 1\x0c\ny = 2\n",
    "é\u2028ü\n",
]


@pytest.mark.parametrize("text", TEXTS)
def test_source_lines_view_cuts_the_lines_source_lines_splits(text: str) -> None:
    view = SourceLines(text)
    assert [view[index] for index in range(len(view))] == source_lines(text)
    with pytest.raises(IndexError):
        view[len(view)]


#: Long enough that a finding's text outweighs its share of the sorted findings list.
MESSAGE = "a legacy use, described at length " * 12


def _report(count: int) -> RunReport:
    source = "".join(f"value_{n} = websockets.connect({n})\n" for n in range(count))
    violations = [
        Violation("WSU201", "legacy-thing", f"{MESSAGE}{n}", Position(n + 1, 4), Position(n + 1, 9))
        for n in range(count)
    ]
    return RunReport([FileReport(Path("/p/big.py"), "big.py", source, violations)])


def _peak_and_size(report: RunReport, fmt: str) -> tuple[int, int]:
    class Counting(io.TextIOBase):
        size = 0

        def write(self, text: str) -> int:
            self.size += len(text)
            return len(text)

    stream = Counting()
    # Once small first: the format's modules are imported before memory is traced.
    write_report(_report(3), stream, OutputOptions(format=fmt), cwd=Path("/p"))
    stream.size = 0
    tracemalloc.start()
    try:
        write_report(report, stream, OutputOptions(format=fmt), cwd=Path("/p"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, stream.size


@pytest.mark.parametrize("fmt", ["full", "concise", "json", "json-lines", "pylint", "github"])
def test_a_large_report_is_not_held_as_text(fmt: str) -> None:
    report = _report(20_000)
    peak, size = _peak_and_size(report, fmt)
    # Held whole, the text alone (and a str object per line) would exceed the output size.
    assert size > 1_000_000
    assert peak < size / 2, (fmt, peak, size)


def test_json_written_an_item_at_a_time_is_the_whole_array() -> None:
    report = _report(50)
    report.files[0].violations[3] = Violation(
        "WSU201", "legacy-thing", 'quote " and\nnewline, ü', Position(4, 0), Position(4, 1)
    )
    stream = io.StringIO()
    write_report(report, stream, OutputOptions(format="json"), cwd=Path("/p"))
    assert (
        stream.getvalue()
        == json.dumps(list(json_items(report)), indent=2, ensure_ascii=False) + "\n"
    )
    empty = io.StringIO()
    write_report(RunReport([]), empty, OutputOptions(format="json"), cwd=Path("/p"))
    assert empty.getvalue() == "[]\n"
