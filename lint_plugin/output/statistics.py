"""``--statistics``: counts per rule instead of the individual diagnostics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lint_plugin.output.report import RunReport


@dataclass(frozen=True)
class RuleCount:
    code: str | None
    name: str
    count: int
    fixable: bool


def rule_counts(report: RunReport) -> list[RuleCount]:
    counts: Counter[tuple[str | None, str]] = Counter()
    fixable: set[tuple[str | None, str]] = set()
    for _, violation in report.violations():
        key = (violation.code, violation.name)
        counts[key] += 1
        if violation.fixable(unsafe=report.unsafe_fixes):
            fixable.add(key)
    # Most frequent first; problems without a code (invalid syntax) after the rules.
    ordered = sorted(
        counts.items(),
        key=lambda item: (-item[1], item[0][0] is None, item[0][0] or "", item[0][1]),
    )
    return [
        RuleCount(code, name, count, (code, name) in fixable) for (code, name), count in ordered
    ]


def render_statistics(report: RunReport) -> Iterator[str]:
    counts = rule_counts(report)
    count_width = max((len(str(c.count)) for c in counts), default=0)
    code_width = max((len(c.code or "") for c in counts), default=0)
    any_fixable = any(c.fixable for c in counts)
    for entry in counts:
        marker = ("[*] " if entry.fixable else "[ ] ") if any_fixable else ""
        code = entry.code or ""
        yield f"{entry.count:>{count_width}}\t{code:<{code_width}}\t{marker}{entry.name}"


def statistics_json(report: RunReport) -> list[dict[str, Any]]:
    return [
        {"code": c.code, "name": c.name, "count": c.count, "fixable": c.fixable}
        for c in rule_counts(report)
    ]
