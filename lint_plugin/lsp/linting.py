"""Linting one buffer snapshot, and fixing it all: the work the server's thread does."""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from lint_plugin.engine import CheckResult, check_source
from lint_plugin.fixes import fix_source
from lint_plugin.lsp.convert import TextLines
from lint_plugin.lsp.workspace_config import Resolved, WorkspaceConfig
from lint_plugin.segment_cache import SegmentCaches

log = logging.getLogger("lint_plugin.lsp")


@dataclass(frozen=True)
class Snapshot:
    """An open document's text at one version."""

    uri: str
    version: int | None
    text: str
    path: Path | None

    @property
    def filename(self) -> str:
        return str(self.path) if self.path is not None else self.uri


@dataclass
class Linted:
    snapshot: Snapshot
    generation: int
    """The configuration generation it was linted under."""
    resolved: Resolved
    result: CheckResult
    lines: TextLines = field(init=False)
    fixed: str | None = None
    """The buffer after fix-all, once asked for."""

    def __post_init__(self) -> None:
        self.lines = TextLines(self.snapshot.text)

    @property
    def has_fixes(self) -> bool:
        unsafe = self.resolved.unsafe_fixes
        return any(
            d.fix is not None and d.fix.is_applicable(unsafe=unsafe)
            for d in self.result.diagnostics
        )


def lint_snapshot(
    snapshot: Snapshot, config: WorkspaceConfig, cache: SegmentCaches | None = None
) -> Linted:
    """Never raises. A buffer that does not parse gets no diagnostics (the editor's own
    Python support shows the syntax error). ``cache`` holds the buffer's segments from its
    last lint: a large buffer re-checks only those an edit changed."""
    generation = config.generation
    resolved = config.resolve(snapshot.path)
    if resolved.excluded:
        return Linted(snapshot, generation, resolved, CheckResult(skipped=True))
    try:
        result = check_source(
            snapshot.text,
            filename=snapshot.filename,
            settings=resolved.settings,
            segmented=cache.analyse if cache is not None else None,
        )
    except Exception:
        # A rule crashing on odd code must not take the server down: log it, go on.
        log.error("internal error linting %s:\n%s", snapshot.filename, traceback.format_exc())
        result = CheckResult()
    return Linted(snapshot, generation, resolved, result)


def fix_all(linted: Linted) -> str:
    """The buffer with every applicable fix applied to a fixed point (cached)."""
    if linted.fixed is None:
        snapshot = linted.snapshot
        try:
            fixed = fix_source(
                snapshot.text,
                linted.resolved.settings,
                unsafe=linted.resolved.unsafe_fixes,
                filename=snapshot.filename,
            )
        except Exception:
            log.error("internal error fixing %s:\n%s", snapshot.filename, traceback.format_exc())
            return snapshot.text
        linted.fixed = fixed.source
    return linted.fixed
