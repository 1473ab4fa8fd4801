"""How serious a finding is, the same in every front end (editor, SARIF, GitHub).

A rule on by default flags deprecated or changed API: a warning, since the code still runs
today. An opt-in rule (``extend-select``, the WSU5xx hints) suggests a better idiom: a
note. A file that could not be checked (invalid syntax, unreadable) is an error.
"""

from __future__ import annotations

from lint_plugin.backports import StrEnum


class Severity(StrEnum):
    # The values are SARIF's levels; the other front ends map from them.
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


def severity_of(code: str | None) -> Severity:
    """The severity of a finding by its rule code (``None`` for a file not checked)."""
    # Imported here: loading every rule is the largest part of the command's startup.
    from lint_plugin.rules import RULES_BY_CODE

    rule = RULES_BY_CODE.get(code) if code is not None else None
    if rule is None:
        return Severity.ERROR
    return Severity.WARNING if rule.spec.default_enabled else Severity.NOTE


#: GitHub workflow commands: ``::error``, ``::warning``, ``::notice``.
GITHUB_COMMAND = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.NOTE: "notice",
}
