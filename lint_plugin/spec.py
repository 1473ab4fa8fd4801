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
    min_version: Version
    """Oldest target version the rule applies to (where the replacement exists)."""
    what_it_does: str
    why_bad: str
    example: str
    use_instead: str
    fix_safety: str
    example_flagged_at: tuple[int, int] = (0, 0)
    """(line, column) where the rule flags its bad example; the docs tests check it."""
    max_version: Version | None = None
    """Newest target version (exclusive) the rule applies to, if bounded."""
    default_enabled: bool = True
    flags_deprecated_api: bool = True
    """False for rules about a behaviour change on valid code (editors strike the rest through)."""

    @property
    def url(self) -> str:
        return DOCS_URL.format(code=self.code)

    def applies_to(self, target: Version) -> bool:
        if target < self.min_version:
            return False
        return self.max_version is None or target < self.max_version


Check = Callable[["Context"], Iterator[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    spec: RuleSpec
    check: Check
