"""The closing lines of a text report, worded as ruff words them."""

from __future__ import annotations

from collections.abc import Iterable

from lint_plugin.output.report import FileReport, RunReport, TargetUse
from lint_plugin.output.rule_docs import rule_name
from lint_plugin.settings import Settings, format_version
from lint_plugin.upgrade import fixable_after_upgrade


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


def target_uses(files: Iterable[tuple[Settings, FileReport]]) -> list[TargetUse]:
    """Each target version of the run (in order of first use) and its waiting findings."""
    waiting: dict[tuple[tuple[int, ...], str], list[tuple[int, ...]]] = {}
    for settings, file in files:
        needs = waiting.setdefault((settings.target_version, settings.target_version_source), [])
        for violation in file.violations:
            if (needed := fixable_after_upgrade(violation.message, violation.fix)) is not None:
                needs.append(needed)
    return [
        TargetUse(version, source, len(needs), max(needs, default=None))
        for (version, source), needs in waiting.items()
    ]


def target_lines(report: RunReport) -> list[str]:
    """Which websockets the findings are about, why, and what an upgrade would let fix.

    Printed once per run that found anything, on stderr as ruff prints its notes, so that
    it reaches the user whatever the output format and never mixes with a report on stdout.
    """
    if report.remaining + report.fixed == 0:
        return []
    lines = []
    for target in report.targets:
        line = f"Target websockets {format_version(target.version)} ({target.source})"
        if target.waiting and target.needed is not None:
            needed = format_version(target.needed)
            line += (
                f": {plural(target.waiting, 'finding')} can be fixed only after upgrading "
                f"to websockets >= {needed} (`--target-version {needed}` shows those fixes)"
            )
        lines.append(line + ".")
    return lines


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
