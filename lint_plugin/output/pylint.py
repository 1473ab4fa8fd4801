"""``--output-format pylint``: ``path:line: [CODE] message``, as pylint's parseable format."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin.output.report import RunReport


def render_pylint(report: RunReport) -> Iterator[str]:
    for file, violation in report.violations():
        code = violation.code or violation.name
        yield f"{file.display}:{violation.start.line}: [{code}] {violation.message}"
