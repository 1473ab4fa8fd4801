"""``--output-format sarif``: SARIF 2.1.0 as GitHub code scanning accepts it."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import lint_plugin
from lint_plugin.model import Position
from lint_plugin.output.report import INVALID_SYNTAX, IO_ERROR, RunReport, Violation
from lint_plugin.output.rule_docs import rule_markdown, specs_by_code
from lint_plugin.severity import Severity, severity_of
from lint_plugin.spec import RuleSpec

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://wsu-lint.readthedocs.io/"
SOURCE_ROOT = "%SRCROOT%"

_PSEUDO_RULES = {
    INVALID_SYNTAX: "The file is not valid Python; nothing in it was checked.",
    IO_ERROR: "The file could not be read or decoded; nothing in it was checked.",
}


def _region(start: Position, end: Position) -> dict[str, int]:
    # SARIF columns are 1-based; the end column is the one just past the range.
    return {
        "startLine": start.line,
        "startColumn": start.column + 1,
        "endLine": end.line,
        "endColumn": end.column + 1,
    }


def _artifact(path: Path, display: str) -> dict[str, str]:
    if Path(display).is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": quote(Path(display).as_posix()), "uriBaseId": SOURCE_ROOT}


def _rule_descriptor(spec: RuleSpec) -> dict[str, Any]:
    return {
        "id": spec.code,
        "name": spec.name,
        "shortDescription": {"text": spec.summary},
        "fullDescription": {"text": spec.what_it_does.strip()},
        "helpUri": spec.url,
        "help": {"text": spec.summary, "markdown": rule_markdown(spec)},
        "defaultConfiguration": {
            "level": str(severity_of(spec.code)),
            "enabled": spec.default_enabled,
        },
        "properties": {"tags": ["websockets", "migration"]},
    }


def _pseudo_descriptor(name: str) -> dict[str, Any]:
    text = _PSEUDO_RULES[name]
    return {
        "id": name,
        "name": name,
        "shortDescription": {"text": text},
        "fullDescription": {"text": text},
        "help": {"text": text},
        "defaultConfiguration": {"level": str(Severity.ERROR)},
    }


def _result(
    violation: Violation, artifact: dict[str, str], rule_index: dict[str, int]
) -> dict[str, Any]:
    rule_id = violation.code or violation.name
    result: dict[str, Any] = {
        "ruleId": rule_id,
        "ruleIndex": rule_index[rule_id],
        "level": str(severity_of(rule_id if violation.code else None)),
        "message": {"text": violation.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact,
                    "region": _region(violation.start, violation.end),
                }
            }
        ],
    }
    if violation.fix is not None and violation.fix.edits:
        result["fixes"] = [
            {
                "description": {"text": violation.fix.title or violation.fix_title or ""},
                "artifactChanges": [
                    {
                        "artifactLocation": artifact,
                        "replacements": [
                            {
                                "deletedRegion": _region(edit.start, edit.end),
                                "insertedContent": {"text": edit.content},
                            }
                            for edit in violation.fix.edits
                        ],
                    }
                ],
            }
        ]
    return result


def _directory_uri(directory: Path) -> str:
    uri = directory.absolute().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def report_sarif(report: RunReport, *, cwd: Path) -> dict[str, Any]:
    violations = report.violations()
    descriptors = [_rule_descriptor(spec) for spec in specs_by_code().values()]
    pseudo = sorted({v.name for _, v in violations if v.code is None})
    descriptors += [_pseudo_descriptor(name) for name in pseudo]
    rule_index = {descriptor["id"]: index for index, descriptor in enumerate(descriptors)}
    results = [_result(v, _artifact(f.path, f.display), rule_index) for f, v in violations]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "wsu",
                        "version": lint_plugin.__version__,
                        "semanticVersion": lint_plugin.__version__,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {SOURCE_ROOT: {"uri": _directory_uri(cwd)}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
