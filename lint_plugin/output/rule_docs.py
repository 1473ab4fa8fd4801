"""Rules described for ``wsu rule`` and ``wsu rules``: page, JSON, one-line listing."""

from __future__ import annotations

from functools import cache
from typing import Any

from lint_plugin.model import FixAvailability
from lint_plugin.settings import format_version
from lint_plugin.spec import RuleSpec

_FIX_SENTENCE = {
    FixAvailability.ALWAYS: "Fix is always available.",
    FixAvailability.SOMETIMES: "Fix is sometimes available.",
    FixAvailability.NONE: "Fix is not available.",
}


@cache
def specs_by_code() -> dict[str, RuleSpec]:
    from lint_plugin.rules import ALL_RULES

    return {rule.spec.code: rule.spec for rule in ALL_RULES}


def rule_name(code: str) -> str:
    spec = specs_by_code().get(code)
    return spec.name if spec else code


def rule_markdown(spec: RuleSpec) -> str:
    """The rule's documentation page, the same text as its page under docs/rules/."""
    from lint_plugin.docs_gen import rule_page

    return rule_page(spec)


def rule_json(spec: RuleSpec) -> dict[str, Any]:
    """ruff's ``rule --output-format json`` fields, plus the version the fix needs."""
    return {
        "name": spec.name,
        "code": spec.code,
        "linter": "wsu",
        "summary": spec.summary,
        "message_formats": [spec.message],
        "fix": _FIX_SENTENCE[spec.fix_availability],
        "fix_availability": spec.fix_availability.value,
        "applicability": spec.applicability.value if spec.applicability else None,
        "explanation": rule_markdown(spec),
        "deprecated_in": spec.deprecated_in,
        "fix_available_from": format_version(spec.fix_from),
        "default_enabled": spec.default_enabled,
        "url": spec.url,
    }


def rules_listing(specs: list[RuleSpec]) -> str:
    """One line per rule: code, name, fix availability (and safety), default state."""
    width = max((len(s.name) for s in specs), default=0)
    lines = []
    for spec in specs:
        fix = spec.fix_availability.value
        if spec.applicability is not None and spec.fix_availability is not FixAvailability.NONE:
            fix += f" ({spec.applicability.value})"
        off = "" if spec.default_enabled else "  [off by default]"
        lines.append(f"{spec.code}  {spec.name:<{width}}  fix: {fix}{off}")
    return "\n".join(lines) + ("\n" if lines else "")
