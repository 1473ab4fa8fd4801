"""``--output-format gitlab``: GitLab Code Quality (a JSON array of issues).

Fingerprints identify an issue across pipelines so that GitLab can tell new findings from
fixed ones: they hash the path, the rule, the message and the text of the flagged line
(not its number, so that an edit above does not make every finding look new), plus a
counter for identical findings in one file.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

from lint_plugin.output.report import FileReport, RunReport
from lint_plugin.output.text import source_lines
from lint_plugin.severity import Severity, severity_of

#: Code Quality's scale for the shared severities: a file not checked is major, a
#: deprecation minor, an opt-in hint info.
GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.NOTE: "info"}


def report_path(file: FileReport, cwd: Path) -> str:
    try:
        return file.path.absolute().relative_to(cwd).as_posix()
    except ValueError:
        return file.path.as_posix()


def report_gitlab(report: RunReport, *, cwd: Path) -> list[dict[str, Any]]:
    issues = []
    seen: Counter[str] = Counter()
    current: FileReport | None = None
    path, lines = "", []
    for file, violation in report.violations():
        if file is not current:
            # Once per file (the violations come file by file), not once per finding.
            current = file
            path = report_path(file, cwd)
            lines = source_lines(file.source) if file.source is not None else []
        line_text = lines[violation.start.line - 1] if violation.start.line <= len(lines) else ""
        material = "\0".join(
            (path, violation.code or violation.name, violation.message, line_text.strip())
        )
        seen[material] += 1
        fingerprint = hashlib.sha256(f"{material}\0{seen[material]}".encode()).hexdigest()
        code = violation.code or violation.name
        issues.append(
            {
                "type": "issue",
                "check_name": code,
                "description": f"{code}: {violation.message}",
                "categories": ["Compatibility" if violation.code else "Bug Risk"],
                "severity": GITLAB_SEVERITY[severity_of(violation.code)],
                "fingerprint": fingerprint,
                "location": {
                    "path": path,
                    "positions": {
                        "begin": {
                            "line": violation.start.line,
                            "column": violation.start.column + 1,
                        },
                        "end": {"line": violation.end.line, "column": violation.end.column + 1},
                    },
                },
            }
        )
    return issues
