"""``--output-format json``: ruff's JSON fields (columns 1-based), plus the rule name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lint_plugin.model import Position
from lint_plugin.output.report import RunReport


def location(position: Position) -> dict[str, int]:
    return {"row": position.line, "column": position.column + 1}


def json_items(report: RunReport) -> Iterator[dict[str, Any]]:
    """The JSON array's objects, in the order of the findings."""
    for file, violation in report.violations():
        fix = violation.fix
        yield {
            "cell": None,
            "code": violation.code,
            "name": violation.name,
            "message": violation.message,
            "filename": str(file.path),
            "location": location(violation.start),
            "end_location": location(violation.end),
            "fix": None
            if fix is None
            else {
                "applicability": fix.applicability.value,
                "message": fix.title or violation.fix_title,
                "edits": [
                    {
                        "content": edit.content,
                        "location": location(edit.start),
                        "end_location": location(edit.end),
                    }
                    for edit in fix.edits
                ],
            },
            "noqa_row": violation.noqa_row,
            "url": violation.url,
        }
