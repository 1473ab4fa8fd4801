"""Output formats of ``wsu check``: full, concise, json, json-lines, sarif, github, gitlab,
junit, pylint."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from lint_plugin.output.report import RunReport

# Each format's module is imported when it is used: a run loads one of them.

FORMATS = (
    "full",
    "concise",
    "json",
    "json-lines",
    "sarif",
    "github",
    "gitlab",
    "junit",
    "pylint",
)


@dataclass(frozen=True)
class OutputOptions:
    format: str = "full"
    statistics: bool = False
    fix_mode: bool = False
    show_fixes: bool = False
    quiet: bool = False
    """Diagnostics only: no summary."""
    colour: bool = False
    """ANSI colours in the text formats (full, concise)."""


def write_report(report: RunReport, stream: TextIO, options: OutputOptions, *, cwd: Path) -> None:
    """Write the report in its format. Line formats and the JSON array are written as
    they are made: a large module's findings are never all in memory as text."""
    fmt = options.format
    lines: Iterable[str]
    if options.statistics:
        from lint_plugin.output.statistics import render_statistics, statistics_json

        if fmt == "json":
            _write_json(stream, statistics_json(report))
            return
        lines = render_statistics(report)
    elif fmt == "json":
        from lint_plugin.output.json_format import json_items

        _write_json_array(stream, json_items(report))
        return
    elif fmt == "sarif":
        from lint_plugin.output.sarif import report_sarif

        _write_json(stream, report_sarif(report, cwd=cwd))
        return
    elif fmt == "gitlab":
        from lint_plugin.output.gitlab import report_gitlab

        _write_json(stream, report_gitlab(report, cwd=cwd))
        return
    elif fmt == "junit":
        from lint_plugin.output.junit import render_junit

        stream.write(render_junit(report, cwd=cwd) + "\n")
        return
    elif fmt == "github":
        from lint_plugin.output.github import render_github

        lines = render_github(report)
    elif fmt == "json-lines":
        from lint_plugin.output.json_lines import render_json_lines

        lines = render_json_lines(report)
    elif fmt == "pylint":
        from lint_plugin.output.pylint import render_pylint

        lines = render_pylint(report)
    else:
        from lint_plugin.output.colour import Palette
        from lint_plugin.output.text import render_concise, render_full

        render = render_concise if fmt == "concise" else render_full
        lines = render(report, Palette(options.colour))
    for line in lines:
        stream.write(line + "\n")
    if not options.quiet:
        from lint_plugin.output.summary import check_summary, fixed_listing

        tail: list[str] = []
        if options.show_fixes and options.fix_mode and (listing := fixed_listing(report)):
            tail += [*listing, ""]
        if fmt in ("full", "concise") or options.statistics:
            tail += check_summary(report, fix_mode=options.fix_mode)
        for line in tail:
            stream.write(line + "\n")


def _write_json(stream: TextIO, data: object) -> None:
    import json

    json.dump(data, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def _write_json_array(stream: TextIO, items: Iterable[object]) -> None:
    """What ``_write_json`` writes for the list of ``items``, an item at a time."""
    import json

    separator = "[\n"
    for item in items:
        text = json.dumps(item, indent=2, ensure_ascii=False)
        stream.write(separator + "  " + text.replace("\n", "\n  "))
        separator = ",\n"
    stream.write("[]\n" if separator == "[\n" else "\n]\n")
