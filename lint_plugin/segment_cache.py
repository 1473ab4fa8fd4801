"""The language server's segment cache: an edit re-checks only the segments it touches.

The server checks a buffer above :data:`THRESHOLD` in segments (``lint_plugin.segments``),
far smaller than the command line's, and keeps each segment's record
(``segments.Record``: its findings and what the migration units read, no tree) under what
it depends on: its statements' texts and first lines, the prelude's included. On the next
edit the buffer is planned again (a line scan), the segments whose key is unchanged take
their record as it is, the others are parsed and checked, and the units are decided for
the module from every record, as the first check did. An edit that adds or removes lines
changes the key of every segment after it (their lines move): those are checked again.

A record is reused only under the settings and filename it was made with. Whatever
``segments.decided`` cannot decide is checked whole, as in the command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lint_plugin import segments, units

if TYPE_CHECKING:
    from lint_plugin.settings import Settings

#: Buffers longer than this (characters) are checked in segments by the server: below it a
#: whole check takes a few tens of milliseconds, less than planning and merging saves.
THRESHOLD = 32_000
#: Characters of statements per segment in the server: what a one-character edit re-checks
#: (with the prelude). Smaller, segments miss more uses of an import whose finding depends
#: on them, which are then put in one segment (``segments.plan``'s linked names).
BUDGET = 8_000


class SegmentCache:
    """One buffer's segment records, from its last check."""

    def __init__(self) -> None:
        self.records: dict[segments.SegmentKey, segments.Record] = {}
        """The records of the last text checked in segments to the end."""
        self.attempted: dict[segments.SegmentKey, segments.Record] = {}
        """The records of a later text that stopped early (a segment that did not parse)."""
        self.made_with: tuple[str, Settings] | None = None
        self.linked: frozenset[str] = frozenset()
        """``segments.plan``'s linked names, as the last check found them."""
        self.checked = 0
        """How many segments the last :meth:`analyse` parsed and checked."""

    def analyse(self, source: str, filename: str, settings: Settings) -> units.Outcome | None:
        """``segments.analyse`` at the server's threshold and budget, reusing the records of
        unchanged segments; ``None``: check the buffer whole."""
        self.checked = 0
        if len(source) <= THRESHOLD or self.made_with != (filename, settings):
            self.records, self.attempted = {}, {}
            self.made_with = (filename, settings)
            self.linked = frozenset()
        if len(source) <= THRESHOLD:
            return None
        rules, others = segments.enabled_rules(settings)
        if not rules:
            return units.Outcome([])
        used: dict[segments.SegmentKey, segments.Record] = {}

        def check(merged: segments.Merged, segment: list[int]) -> segments.Record:
            key = merged.key(segment)
            record = used.get(key) or self.records.get(key) or self.attempted.get(key)
            if record is None:
                record = merged.check(segment, filename, settings, rules, others, None)
                self.checked += 1
            used[key] = record
            return record

        # The names the last check linked: planned with them at once, not found again.
        outcome, self.linked = segments.decided(source, settings, BUDGET, check, self.linked)
        # Kept: this text's records, and after a check that stopped early the last complete
        # check's too (what follows a segment that does not parse is reused once it does).
        if outcome is not None:
            self.records, self.attempted = used, {}
        else:
            self.attempted = used
        return outcome
