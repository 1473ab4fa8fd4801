"""What a ``wsu check`` run found, in the shape every output format reads."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lint_plugin.engine import SyntaxProblem
from lint_plugin.model import Applicability, Diagnostic, Fix, Position
from lint_plugin.spec import DOCS_URL

#: Names of the code-less problems, as ruff names them.
INVALID_SYNTAX = "invalid-syntax"
IO_ERROR = "io-error"


@dataclass(frozen=True)
class Violation:
    code: str | None
    """``None`` for problems that are not a rule's: invalid syntax, unreadable files."""
    name: str
    message: str
    start: Position
    end: Position
    fix: Fix | None = None
    fix_title: str | None = None

    @classmethod
    def from_diagnostic(cls, diagnostic: Diagnostic) -> Violation:
        return cls(
            code=diagnostic.code,
            name=diagnostic.name,
            message=diagnostic.message,
            start=diagnostic.start,
            end=diagnostic.end,
            fix=diagnostic.fix,
            fix_title=diagnostic.fix.title if diagnostic.fix else diagnostic.fix_title,
        )

    @classmethod
    def syntax_error(cls, problem: SyntaxProblem) -> Violation:
        at = Position(problem.line, problem.column)
        return cls(None, INVALID_SYNTAX, problem.message, at, at)

    @classmethod
    def io_error(cls, message: str, line: int = 1) -> Violation:
        at = Position(line, 0)
        return cls(None, IO_ERROR, message, at, at)

    @property
    def url(self) -> str | None:
        return DOCS_URL.format(code=self.code) if self.code else None

    @property
    def noqa_row(self) -> int | None:
        return self.start.line if self.code else None

    def fixable(self, *, unsafe: bool) -> bool:
        return self.fix is not None and self.fix.is_applicable(unsafe=unsafe)

    def hidden_fix(self, *, unsafe: bool) -> bool:
        """An unsafe fix that ``--unsafe-fixes`` would enable."""
        return (
            not unsafe
            and self.fix is not None
            and self.fix.applicability is Applicability.UNSAFE
            and bool(self.fix.edits)
        )

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return (self.start.line, self.start.column, self.code or "")


@dataclass
class FileReport:
    path: Path
    """Absolute path (for stdin: the ``--stdin-filename`` or ``-``)."""
    display: str
    """The path as shown: relative to the working directory when under it."""
    source: str | None = None
    """The text the positions refer to; ``None`` when it could not be read."""
    violations: list[Violation] = field(default_factory=list)
    fixed: Counter[str] = field(default_factory=Counter)
    fixed_source: str | None = None
    """With ``--diff``: what ``--fix`` would write."""


@dataclass(frozen=True)
class TargetUse:
    """A target version the run linted against, why, and the findings awaiting an upgrade."""

    version: tuple[int, ...]
    source: str
    waiting: int = 0
    """Findings whose replacement needs a newer websockets: their fix is display-only."""
    needed: tuple[int, ...] | None = None
    """The newest version those findings need."""


@dataclass
class RunReport:
    files: list[FileReport] = field(default_factory=list)
    unsafe_fixes: bool = False
    """Whether unsafe fixes are enabled: they count as fixable, not as hidden."""
    targets: list[TargetUse] = field(default_factory=list)

    def violations(self) -> list[tuple[FileReport, Violation]]:
        found = [(f, v) for f in self.files for v in f.violations]
        found.sort(key=lambda pair: (pair[0].display, pair[1].sort_key))
        return found

    @property
    def remaining(self) -> int:
        return sum(len(f.violations) for f in self.files)

    @property
    def fixed(self) -> int:
        return sum(sum(f.fixed.values()) for f in self.files)

    @property
    def fixable(self) -> int:
        unsafe = self.unsafe_fixes
        return sum(v.fixable(unsafe=unsafe) for f in self.files for v in f.violations)

    @property
    def hidden_fixes(self) -> int:
        unsafe = self.unsafe_fixes
        return sum(v.hidden_fix(unsafe=unsafe) for f in self.files for v in f.violations)
