"""What every rule module declares: its spec (beside its check) and the check itself."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lint_plugin.model import Applicability, Diagnostic, FixAvailability

if TYPE_CHECKING:
    from lint_plugin.context import Context

DOCS_URL = "https://wsu-lint.readthedocs.io/en/latest/rules/{code}/"

Version = tuple[int, ...]


@dataclass(frozen=True)
class RuleSpec:
    """A rule as ruff describes one: code, name, message, fix title, fix safety, docs."""

    code: str
    name: str
    """kebab-case."""
    summary: str
    """One line: what the rule flags."""
    message: str
    """Message template; rules fill it with the concrete replacement."""
    fix_title: str
    """What the fix (or the hint, when there is no fix) does, as a template."""
    fix_availability: FixAvailability
    applicability: Applicability | None
    """The usual applicability of the fix (``None`` when there is no fix)."""
    deprecated_in: str
    """websockets version (or versions) that deprecated or changed what it flags."""
    fix_from: Version
    """Oldest target version where the replacement (and so the fix) exists. The rule reports
    at every target; below this one its fix is display-only and its message names the
    version the replacement needs."""
    what_it_does: str
    why_bad: str
    example: str
    use_instead: str
    fix_safety: str
    example_flagged_at: tuple[int, int] = (0, 0)
    """(line, column) where the rule flags its bad example; the docs tests check it."""
    default_enabled: bool = True
    flags_deprecated_api: bool = True
    """False for rules about a behaviour change on valid code (editors strike the rest through)."""

    @property
    def url(self) -> str:
        return DOCS_URL.format(code=self.code)


Check = Callable[["Context"], Iterator[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    spec: RuleSpec
    check: Check
