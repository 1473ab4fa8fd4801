"""The closing lines of a text report, worded as ruff words them."""

from __future__ import annotations

from lint_plugin.output.report import RunReport
from lint_plugin.output.rule_docs import rule_name


def plural(count: int, noun: str) -> str:
    suffix = "es" if noun.endswith(("s", "x")) else "s"
    return f"{count} {noun}" if count == 1 else f"{count} {noun}{suffix}"


def _hidden_hint(hidden: int) -> str:
    return f"{plural(hidden, 'hidden fix')} can be enabled with the `--unsafe-fixes` option"


def fix_hints(report: RunReport) -> list[str]:
    fixable, hidden = report.fixable, report.hidden_fixes
    if fixable:
        line = f"[*] {fixable} fixable with the `--fix` option"
        return [f"{line} ({_hidden_hint(hidden)})." if hidden else f"{line}."]
    if hidden:
        return [f"No fixes available ({_hidden_hint(hidden)})."]
    return []


def check_summary(report: RunReport, *, fix_mode: bool) -> list[str]:
    remaining, fixed = report.remaining, report.fixed
    if remaining + fixed == 0:
        return ["All checks passed!"]
    if fix_mode and fixed:
        total = remaining + fixed
        lines = [f"Found {plural(total, 'error')} ({fixed} fixed, {remaining} remaining)."]
    else:
        lines = [f"Found {plural(remaining, 'error')}."]
    return lines + fix_hints(report)


def diff_summary(report: RunReport) -> list[str]:
    fixed, hidden = report.fixed, report.hidden_fixes
    hint = f" ({_hidden_hint(hidden)})" if hidden else ""
    if fixed:
        return [f"Would fix {plural(fixed, 'error')}{hint}."]
    return [f"No errors would be fixed{hint}."]


def fixed_listing(report: RunReport) -> list[str]:
    """``--show-fixes``: what ``--fix`` changed, per file and rule (ruff's layout)."""
    files = [f for f in report.files if f.fixed]
    if not files:
        return []
    lines = [f"Fixed {plural(report.fixed, 'error')}:"]
    for file in sorted(files, key=lambda f: f.display):
        lines.append(f"- {file.display}:")
        for code, count in sorted(file.fixed.items()):
            lines.append(f"    {count} × {code} ({rule_name(code)})")  # noqa: RUF001 (ruff's sign)
    return lines
