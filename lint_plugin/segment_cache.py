"""The language server's segment cache: an edit re-checks only the segments it touches.

The server checks a buffer above :data:`THRESHOLD` in segments (``lint_plugin.segments``),
far smaller than the command line's, and keeps each segment's record
(``segments.Record``: its findings and what the migration units read, no tree) under what
it depends on: its statements' texts (digests) and lines, the prelude's included. On the next
edit the buffer is planned again (a line scan), the segments whose key is unchanged take
their record as it is, the others are parsed and checked, and the units are decided for
the module from every record, as the first check did.

An edit that adds or removes lines moves the segments after it: a segment whose statements
are all after the prelude's and whose texts are unchanged, each as many lines after its
first, takes its record with every position on its own lines moved (diagnostics, fix
edits, the units' node keys and orders). A record naming a line in a text (a message, a
reason quoting ``line 12``; a call's own line excepted, moved with it) or holding a
position on neither the prelude's lines nor its own is checked again instead.

A record is reused only under the settings and filename it was made with. Whatever
``segments.decided`` cannot decide is checked whole, as in the command line.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from lint_plugin import segments, units
from lint_plugin.model import Diagnostic, Edit, Fix, Position

if TYPE_CHECKING:
    from lint_plugin.settings import Settings

Shape = tuple[tuple[segments.Statement, ...], tuple[segments.Statement, ...]]
"""A segment's key with its statements' lines counted from its first statement's."""
_LINE_NUMBER = re.compile(r"\blines? \d")
_CALL_TEXT = re.compile(r"(`\w+\(\)` at line )(\d+)")
"""``units._call_text``: a call's name and line, the line moved with the call."""

#: Buffers longer than this (characters) are checked in segments by the server: below it a
#: whole check takes a few tens of milliseconds, less than planning and merging saves.
THRESHOLD = 32_000
#: Characters of statements per segment in the server: what a one-character edit re-checks
#: (with the prelude). Smaller, segments miss more uses of an import whose finding depends
#: on them, which are then put in one segment (``segment_plan.plan``'s linked names).
BUDGET = 8_000
#: At most about this many segments: each one's text holds the buffer's lines up to its
#: own, blank, so that a first check in many more costs far more than a whole check.
SEGMENTS = 200


class SegmentCaches:
    """One buffer's segment caches, one for each settings it is checked with: the target's,
    and below the version a fix needs the upgraded target's too (``upgrade.held_once_upgraded``
    checks the buffer at both, each edit)."""

    KEPT = 2

    def __init__(self) -> None:
        self._caches: dict[tuple[str, Settings], SegmentCache] = {}

    def analyse(self, source: str, filename: str, settings: Settings) -> units.Outcome | None:
        key = (filename, settings)
        cache = self._caches.pop(key, None) or SegmentCache()
        while len(self._caches) >= self.KEPT:
            # Settings not asked for lately (the configuration changed): forgotten.
            del self._caches[next(iter(self._caches))]
        self._caches[key] = cache
        return cache.analyse(source, filename, settings)


class SegmentCache:
    """One buffer's segment records, from its last check."""

    def __init__(self) -> None:
        self.records: dict[segments.SegmentKey, segments.Record] = {}
        """The records of the last text checked in segments to the end."""
        self.attempted: dict[segments.SegmentKey, segments.Record] = {}
        """The records of a later text that stopped early (a segment that did not parse)."""
        self.shapes: dict[Shape, segments.SegmentKey] = {}
        """The keys of the records kept, by their :func:`_shape`."""
        self.made_with: tuple[str, Settings] | None = None
        self.linked: frozenset[str] = frozenset()
        """``segment_plan.plan``'s linked names, as the last check found them."""
        self.checked = 0
        """How many segments the last :meth:`analyse` parsed and checked."""

    def analyse(self, source: str, filename: str, settings: Settings) -> units.Outcome | None:
        """``segments.analyse`` at the server's threshold and budget, reusing the records of
        unchanged segments; ``None``: check the buffer whole."""
        self.checked = 0
        if len(source) <= THRESHOLD or self.made_with != (filename, settings):
            self.records, self.attempted, self.shapes = {}, {}, {}
            self.made_with = (filename, settings)
            self.linked = frozenset()
        if len(source) <= THRESHOLD:
            return None
        rules, others = segments.enabled_rules(settings)
        if not rules:
            return units.Outcome([])
        used: dict[segments.SegmentKey, segments.Record] = {}

        def kept(merged: segments.Merged, segment: list[int]) -> segments.Record | None:
            key = merged.key(segment)
            record = used.get(key) or self.records.get(key) or self.attempted.get(key)
            return self._moved(key) if record is None else record

        def check(merged: segments.Merged, segment: list[int]) -> segments.Record:
            record = kept(merged, segment)
            if record is None:
                record = merged.check(segment, filename, settings, rules, others, None)
                self.checked += 1
            used[merged.key(segment)] = record
            return record

        budget = max(BUDGET, len(source) // SEGMENTS)
        outcome = None
        try:
            # The names the last check linked: planned with them at once, not found again.
            outcome, self.linked = segments.decided(
                source,
                settings,
                budget,
                check,
                self.linked,
                ahead=lambda merged, segment: kept(merged, segment) is None,
            )
        finally:
            # Kept: this text's records, and after a check that stopped early (a segment
            # that does not parse raises) the last complete check's too: what follows that
            # segment is reused once it parses.
            if outcome is not None:
                self.records, self.attempted = used, {}
            else:
                self.attempted = used
            self.shapes = {
                shape: key for key in (*self.records, *self.attempted) if (shape := _shape(key))
            }
        return outcome

    def _moved(self, key: segments.SegmentKey) -> segments.Record | None:
        """The record of a segment with these statements on other lines, moved to these."""
        shape = _shape(key)
        old = self.shapes.get(shape) if shape is not None else None
        record = None if old is None else self.records.get(old) or self.attempted.get(old)
        if old is None or record is None:
            return None
        prelude, own = old
        last_line, last_breaks, _ = own[-1]
        move = _Move(
            key[1][0][0] - own[0][0],
            own[0][0],
            last_line + last_breaks,
            prelude[-1][0] + prelude[-1][1] if prelude else 0,
        )
        try:
            return move.record(record)
        except _Unmovable:
            return None


def _shape(key: segments.SegmentKey) -> Shape | None:
    """``key`` with its own statements' lines counted from the first; ``None`` when one of
    the prelude's is not before them (a move would change their order)."""
    prelude, own = key
    if not own or (prelude and prelude[-1][0] >= own[0][0]):
        return None
    first = own[0][0]
    return prelude, tuple((line - first, breaks, digest) for line, breaks, digest in own)


class _Unmovable(Exception):
    """The record holds a position or a text a move cannot account for."""


Token = segments.Token
NodeKey = segments.NodeKey


class _Move:
    """Moves a record's positions on lines ``start`` to ``end`` by ``delta`` lines; those
    on the prelude's lines (up to ``prelude_end``) stay; any other is :class:`_Unmovable`."""

    def __init__(self, delta: int, start: int, end: int, prelude_end: int) -> None:
        self.delta, self.start, self.end, self.prelude_end = delta, start, end, prelude_end
        self.moved: dict[int, Diagnostic] = {}
        self.moved_roles: dict[int, segments.Role] = {}
        """By the id of the role moved: findings share roles (``Merged._record_units``)."""

    def line(self, line: int) -> int:
        if self.start <= line <= self.end:
            return line + self.delta
        if line <= self.prelude_end:
            return line
        raise _Unmovable

    def position(self, at: Position) -> Position:
        return Position(self.line(at.line), at.column)

    def text(self, text: str) -> str:
        if _LINE_NUMBER.search(text):
            raise _Unmovable
        return text

    def call_text(self, text: str) -> str:
        found = _CALL_TEXT.fullmatch(text)
        if found is None:
            return self.text(text)
        return f"{found.group(1)}{self.line(int(found.group(2)))}"

    def edit(self, edit: Edit) -> Edit:
        at = edit.start
        if edit.end == at and at.line == self.start and at.column == 0:
            raise _Unmovable  # after the prelude or before the first statement: no telling
        return Edit(self.position(at), self.position(edit.end), self.text(edit.content))

    def fix(self, fix: Fix) -> Fix:
        return replace(
            fix, edits=tuple(self.edit(e) for e in fix.build()), title=self.text(fix.title)
        )

    def diagnostic(self, diagnostic: Diagnostic) -> Diagnostic:
        if id(diagnostic) not in self.moved:
            self.moved[id(diagnostic)] = replace(
                diagnostic,
                message=self.text(diagnostic.message),
                start=self.position(diagnostic.start),
                end=self.position(diagnostic.end),
                parent=diagnostic.parent and self.position(diagnostic.parent),
                fix=diagnostic.fix and self.fix(diagnostic.fix),
                fix_title=diagnostic.fix_title and self.text(diagnostic.fix_title),
            )
        return self.moved[id(diagnostic)]

    def key(self, key: NodeKey) -> NodeKey:
        kind, line, column, end_line, end_column = key
        return (kind, self.line(line), column, self.line(end_line), end_column)

    def token(self, token: Token) -> Token:
        kind, what = token
        return (kind, self.key(what)) if isinstance(what, tuple) else token

    def order(self, order: segments.Order) -> segments.Order:
        depth, path = order
        first = path[0]
        assert isinstance(first, tuple)
        return (depth, [(self.line(first[0]), first[1]), *path[1:]])

    def role(self, role: segments.Role) -> segments.Role:
        moved = self.moved_roles.get(id(role))
        if moved is not None:
            return moved
        moved = self.moved_roles[id(role)] = segments.Role(
            role.role, [self.token(t) for t in role.tokens]
        )
        if role.ordered is not None:
            moved.ordered = [
                (self.order(o), [self.token(t) for t in found]) for o, found in role.ordered
            ]
        if role.moves:
            moved.moves = {self.token(t) for t in role.moves}
        if role.uses is not None:
            moved.uses = [(self.position(a), self.position(b)) for a, b in role.uses]
        if role.lineage:
            moved.lineage = frozenset(self.key(k) for k in role.lineage)
        return moved

    def site(self, site: segments.Site) -> segments.Site:
        return segments.Site(
            self.order(site.order),
            site.legacy,
            self.call_text(site.text),
            [(self.text(reason), self.position(at)) for reason, at in site.unchecked],
            [(self.key(k), local and self.key(local), text) for k, local, text in site.arguments],
        )

    def split(self, split: segments.Split | None) -> segments.Split | None:
        if split is None:
            return None
        signature, outside = split
        moved_signature = tuple(
            self.diagnostic(part)
            if isinstance(part, Diagnostic)
            else self.fix(part)
            if isinstance(part, Fix)
            else part
            for part in signature
        )
        return moved_signature, [
            ((rank, self.order(order)), self.edit(edit)) for (rank, order), edit in outside
        ]

    def record(self, record: segments.Record) -> segments.Record:
        found = [*record.selected, *record.other]
        ids = {id(d): id(self.diagnostic(d)) for d in found}
        return segments.Record(
            [self.diagnostic(d) for d in record.selected],
            [self.diagnostic(d) for d in record.other],
            split={ids[k]: self.split(v) for k, v in record.split.items()},
            roles={ids[k]: self.role(v) for k, v in record.roles.items()},
            sites={self.token(t): self.site(v) for t, v in record.sites.items()},
            classes={
                self.token(t): ((rounds, self.order(order)), name, self.line(line))
                for t, ((rounds, order), name, line) in record.classes.items()
            },
            registered={self.token(t): None for t in record.registered},
            edges=[[self.token(t) for t in edge] for edge in record.edges],
            any_units=record.any_units,
            names=record.names,
            defs=record.defs,
            bound=record.bound,
            asked=record.asked,
            binds_asked=record.binds_asked,
            held_in=record.held_in,
            held_in_asked=record.held_in_asked,
        )
