"""The data the linter produces: diagnostics, fixes and edits.

Positions are 1-based lines and 0-based columns counted in code points of the
decoded source (not UTF-8 bytes, not UTF-16 units); front ends convert.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

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


# Slots: a dense module's findings make hundreds of thousands of positions and edits
# (48 bytes each instead of 144). Frozen and slotted pickles only through ``__reduce__``
# before Python 3.10.
@dataclass(frozen=True, order=True)
class Position:
    __slots__ = ("column", "line")
    line: int
    """1-based line."""
    column: int
    """0-based column in code points."""

    def __reduce__(self) -> tuple[type[Position], tuple[int, int]]:
        return (Position, (self.line, self.column))


@dataclass(frozen=True)
class Edit:
    """Replace the text between ``start`` and ``end`` with ``content``."""

    __slots__ = ("content", "end", "start")
    start: Position
    end: Position
    content: str

    def __reduce__(self) -> tuple[type[Edit], tuple[Position, Position, str]]:
        return (Edit, (self.start, self.end, self.content))

    @classmethod
    def insertion(cls, at: Position, content: str) -> Edit:
        return cls(at, at, content)

    @classmethod
    def deletion(cls, start: Position, end: Position) -> Edit:
        return cls(start, end, "")


class _ComparedBy:
    """Equality and hash over ``_compared()``: for the slotted classes below, whose
    fields are not all compared or not stored as they read."""

    __slots__ = ()

    def _compared(self) -> tuple[object, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _ComparedBy) or type(other) is not type(self):
            return NotImplemented
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())


EditsBuilder = Callable[[], Sequence[Edit]]
"""Builds a fix's edits when they are first read (``Fix.deferred``)."""


# Slotted as Diagnostic is (one per finding); ``edits`` is a property over ``_edits``
# (a tuple, or the builder of a deferred fix), so equality, hashing and pickling are
# written out, over the built edits.
@dataclass(frozen=True, init=False, eq=False)
class Fix(_ComparedBy):
    __slots__ = ("_edits", "_within", "applicability", "requires", "title", "unit")
    if TYPE_CHECKING:
        edits: tuple[Edit, ...]
    else:
        edits: property
    """Built on first read when the rule deferred them (``deferred``)."""
    applicability: Applicability
    title: str
    requires: Requirement | None
    """``None``: what the rule's fixes usually need (``lint_plugin.units.RULE_REQUIREMENTS``)."""
    unit: str | None
    """Set on the fixes of a migration unit: the edits are the whole unit's."""

    def __init__(
        self,
        edits: Sequence[Edit],
        applicability: Applicability,
        title: str,
        requires: Requirement | None = None,
        unit: str | None = None,
    ) -> None:
        _FIX_EDITS(self, tuple(edits))
        _FIX_WITHIN(self, None)
        _FIX_APPLICABILITY(self, applicability)
        _FIX_TITLE_SLOT(self, title)
        _FIX_REQUIRES(self, requires)
        _FIX_UNIT(self, unit)

    @classmethod
    def deferred(
        cls,
        build: EditsBuilder,
        applicability: Applicability,
        title: str,
        requires: Requirement | None = None,
        *,
        within: tuple[Position, Position] | None = None,
    ) -> Fix:
        """A fix whose edits ``build`` makes when they are first read. Only for edits the
        rule knows it can make: ``has_edits`` is true without building them. ``within``:
        where every edit will be, if the rule knows (``rewrites`` asks no build outside)."""
        fix = cls((), applicability, title, requires)
        _FIX_EDITS(fix, build)
        _FIX_WITHIN(fix, within)
        return fix

    @property  # type: ignore[no-redef]
    def edits(self) -> tuple[Edit, ...]:
        return self.build()

    def build(self) -> tuple[Edit, ...]:
        """The edits, built now if deferred (their builder holds the module's model)."""
        edits = _fix_edits(self)
        if callable(edits):
            edits = tuple(edits())
            _FIX_EDITS(self, edits)
        return edits

    def _compared(self) -> tuple[object, ...]:
        return (self.build(), self.applicability, self.title, self.requires, self.unit)

    def __reduce__(self) -> tuple[type[Fix], tuple[object, ...]]:
        return (Fix, self._compared())

    @property
    def has_edits(self) -> bool:
        """Whether the fix edits anything, without building deferred edits."""
        edits = _fix_edits(self)
        return True if callable(edits) else bool(edits)

    def rewrites(self, start: Position, end: Position) -> bool:
        """Does one of the edits replace a range holding ``start`` to ``end``?"""
        within = _fix_within(self)
        deferred = callable(_fix_edits(self))
        if deferred and within is not None and not (within[0] <= start and end <= within[1]):
            return False
        return any(e.start <= start and end <= e.end and e.start != e.end for e in self.edits)

    def replaced(
        self,
        *,
        edits: Sequence[Edit] | None = None,
        applicability: Applicability | None = None,
        requires: Requirement | None = None,
        unit: str | None = None,
    ) -> Fix:
        """``dataclasses.replace`` for what is given, without its per-field reflection (the
        units change hundreds of fixes in a dense module); deferred edits stay deferred."""
        new = object.__new__(Fix)
        for slot, getter in _FIX_SLOTS:
            slot(new, getter(self))
        if edits is not None:
            _FIX_EDITS(new, tuple(edits))
            _FIX_WITHIN(new, None)
        if applicability is not None:
            _FIX_APPLICABILITY(new, applicability)
        if requires is not None:
            _FIX_REQUIRES(new, requires)
        if unit is not None:
            _FIX_UNIT(new, unit)
        return new

    def is_applicable(self, *, unsafe: bool) -> bool:
        if self.applicability is Applicability.SAFE:
            return self.has_edits
        if self.applicability is Applicability.UNSAFE:
            return unsafe and self.has_edits
        return False


# Slotted as Position is (one per finding, and one more per finding a unit holds back);
# slots cannot have class-level defaults before Python 3.10, hence the ``__init__``, and
# ``parent`` is left out of equality by hand.
@dataclass(frozen=True, init=False, eq=False)
class Diagnostic(_ComparedBy):
    __slots__ = ("code", "end", "fix", "fix_title", "message", "name", "parent", "start")
    code: str
    name: str
    message: str
    start: Position
    end: Position
    fix_title: str | None
    fix: Fix | None
    parent: Position | None
    """Start of the statement holding the diagnostic (where ``noqa`` may also sit); not
    compared."""

    def __init__(
        self,
        code: str,
        name: str,
        message: str,
        start: Position,
        end: Position,
        fix_title: str | None = None,
        fix: Fix | None = None,
        parent: Position | None = None,
    ) -> None:
        _CODE(self, code)
        _NAME(self, name)
        _MESSAGE(self, message)
        _START(self, start)
        _END(self, end)
        _FIX_TITLE(self, fix_title)
        _FIX(self, fix)
        _PARENT(self, parent)

    def _compared(self) -> tuple[object, ...]:
        return (self.code, self.name, self.message, self.start, self.end, self.fix_title, self.fix)

    def __reduce__(self) -> tuple[type[Diagnostic], tuple[object, ...]]:
        return (Diagnostic, (*self._compared(), self.parent))

    def replaced(self, *, message: str | None = None, fix: Fix | None = None) -> Diagnostic:
        """``dataclasses.replace`` for what is given, without its per-field reflection."""
        new = object.__new__(Diagnostic)
        for slot, getter in _SLOTS:
            slot(new, getter(self))
        if message is not None:
            _MESSAGE(new, message)
        if fix is not None:
            _FIX(new, fix)
        return new

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return (self.start.line, self.start.column, self.code)


# The slots' setters (frozen: ``__setattr__`` raises) and getters.
_SLOTS = [
    (vars(Diagnostic)[name].__set__, vars(Diagnostic)[name].__get__)
    for name in Diagnostic.__slots__
]
_CODE, _END, _FIX, _FIX_TITLE, _MESSAGE, _NAME, _PARENT, _START = (slot for slot, _ in _SLOTS)
_FIX_SLOTS = [(vars(Fix)[name].__set__, vars(Fix)[name].__get__) for name in Fix.__slots__]
(_FIX_EDITS, _FIX_WITHIN, _FIX_APPLICABILITY, _FIX_REQUIRES, _FIX_TITLE_SLOT, _FIX_UNIT) = (
    slot for slot, _ in _FIX_SLOTS
)
# The two slots that are not fields (mypy sees no attribute for them).
_fix_edits: Callable[[Fix], tuple[Edit, ...] | EditsBuilder] = _FIX_SLOTS[0][1]
_fix_within: Callable[[Fix], tuple[Position, Position] | None] = _FIX_SLOTS[1][1]
