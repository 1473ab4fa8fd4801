"""The data the linter produces: diagnostics, fixes and edits.

Positions are 1-based lines and 0-based columns counted in code points of the
decoded source (not UTF-8 bytes, not UTF-16 units); front ends convert.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lint_plugin.backports import StrEnum


class Applicability(StrEnum):
    """How far a fix can be trusted, as in ruff."""

    SAFE = "safe"
    """Preserves behaviour on the target version: applied by ``--fix``."""
    UNSAFE = "unsafe"
    """Needs review: applied only with ``--unsafe-fixes``."""
    DISPLAY_ONLY = "display-only"
    """Shown to the user, never applied."""


class Requirement(StrEnum):
    """Which implementation a fix's result runs on (see ``lint_plugin.units``)."""

    BOTH = "both"
    """Right on the legacy and the new implementation: applied on its own."""
    NEW = "new"
    """Right only once the code it touches runs on the new implementation."""
    SWITCH = "switch"
    """Moves code from the legacy implementation to the new one (an import, a chain)."""


class FixAvailability(StrEnum):
    ALWAYS = "always"
    SOMETIMES = "sometimes"
    NONE = "none"


@dataclass(frozen=True, order=True)
class Position:
    line: int
    """1-based line."""
    column: int
    """0-based column in code points."""


@dataclass(frozen=True)
class Edit:
    """Replace the text between ``start`` and ``end`` with ``content``."""

    start: Position
    end: Position
    content: str

    @classmethod
    def insertion(cls, at: Position, content: str) -> Edit:
        return cls(at, at, content)

    @classmethod
    def deletion(cls, start: Position, end: Position) -> Edit:
        return cls(start, end, "")


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: Applicability
    title: str
    requires: Requirement | None = None
    """``None``: what the rule's fixes usually need (``lint_plugin.units.RULE_REQUIREMENTS``)."""
    unit: str | None = None
    """Set on the fixes of a migration unit: the edits are the whole unit's."""

    def is_applicable(self, *, unsafe: bool) -> bool:
        if self.applicability is Applicability.SAFE:
            return bool(self.edits)
        if self.applicability is Applicability.UNSAFE:
            return unsafe and bool(self.edits)
        return False


@dataclass(frozen=True)
class Diagnostic:
    code: str
    name: str
    message: str
    start: Position
    end: Position
    fix_title: str | None = None
    fix: Fix | None = None
    parent: Position | None = field(default=None, compare=False)
    """Start of the statement holding the diagnostic (where ``noqa`` may also sit)."""

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return (self.start.line, self.start.column, self.code)
