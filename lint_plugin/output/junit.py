"""``--output-format junit``: JUnit XML, one test suite per file, one failure per finding.

A file without findings is one passing test case, so CI dashboards count what was checked.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from lint_plugin.output.gitlab import report_path
from lint_plugin.output.report import RunReport, Violation


def render_junit(report: RunReport, *, cwd: Path) -> str:
    root = ET.Element("testsuites", name="wsu")
    total = failures = 0
    by_file: dict[int, list[Violation]] = {id(file): [] for file in report.files}
    for file, violation in report.violations():
        by_file[id(file)].append(violation)
    for file in sorted(report.files, key=lambda f: f.display):
        violations = by_file[id(file)]
        path = report_path(file, cwd)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=path,
            tests=str(max(len(violations), 1)),
            failures=str(len(violations)),
            errors="0",
            skipped="0",
        )
        if not violations:
            ET.SubElement(suite, "testcase", name="no findings", classname=path)
        for violation in violations:
            code = violation.code or violation.name
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"wsu.{code}",
                classname=path,
                file=path,
                line=str(violation.start.line),
                column=str(violation.start.column + 1),
            )
            failure = ET.SubElement(case, "failure", message=violation.message, type=code)
            where = f"line {violation.start.line}, col {violation.start.column + 1}"
            failure.text = f"{where}, {violation.message}"
        total += max(len(violations), 1)
        failures += len(violations)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
