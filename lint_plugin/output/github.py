"""``--output-format github``: workflow commands that GitHub Actions shows as annotations."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin.output.report import RunReport
from lint_plugin.severity import GITHUB_COMMAND, severity_of


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: RunReport) -> Iterator[str]:
    for file, violation in report.violations():
        title = f"{violation.code} ({violation.name})" if violation.code else violation.name
        properties = {
            "title": title,
            "file": file.display.replace("\\", "/"),
            "line": violation.start.line,
            "endLine": violation.end.line,
            "col": violation.start.column + 1,
            "endColumn": violation.end.column + 1,
        }
        rendered = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items())
        command = GITHUB_COMMAND[severity_of(violation.code)]
        yield f"::{command} {rendered}::{escape_data(violation.message)}"
