"""Output formats of ``wsu check``: full, concise, json, json-lines, sarif, github, gitlab,
junit, pylint."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from lint_plugin.output.colour import Palette
from lint_plugin.output.github import render_github
from lint_plugin.output.gitlab import report_gitlab
from lint_plugin.output.json_format import report_json
from lint_plugin.output.json_lines import render_json_lines
from lint_plugin.output.junit import render_junit
from lint_plugin.output.pylint import render_pylint
from lint_plugin.output.report import RunReport
from lint_plugin.output.sarif import report_sarif
from lint_plugin.output.statistics import render_statistics, statistics_json
from lint_plugin.output.summary import check_summary, fixed_listing
from lint_plugin.output.text import render_concise, render_full

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
    fmt = options.format
    if options.statistics:
        if fmt == "json":
            _write_json(stream, statistics_json(report))
            return
        lines = list(render_statistics(report))
    elif fmt == "json":
        _write_json(stream, report_json(report))
        return
    elif fmt == "sarif":
        _write_json(stream, report_sarif(report, cwd=cwd))
        return
    elif fmt == "gitlab":
        _write_json(stream, report_gitlab(report, cwd=cwd))
        return
    elif fmt == "junit":
        stream.write(render_junit(report, cwd=cwd) + "\n")
        return
    elif fmt == "github":
        lines = list(render_github(report))
    elif fmt == "json-lines":
        lines = list(render_json_lines(report))
    elif fmt == "pylint":
        lines = list(render_pylint(report))
    elif fmt == "concise":
        lines = list(render_concise(report, Palette(options.colour)))
    else:
        lines = list(render_full(report, Palette(options.colour)))
    if not options.quiet:
        if options.show_fixes and options.fix_mode and (listing := fixed_listing(report)):
            lines += [*listing, ""]
        if fmt in ("full", "concise") or options.statistics:
            lines += check_summary(report, fix_mode=options.fix_mode)
    for line in lines:
        stream.write(line + "\n")


def _write_json(stream: TextIO, data: object) -> None:
    json.dump(data, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
