"""Checking a large module a few top-level statements at a time.

CPython's tree of a 10 MB module alone takes ~1 GB, the model more: such a module cannot
be checked whole in "a small multiple of the file". Above
:data:`THRESHOLD`, :func:`analyse` checks it in segments instead, each parsed, checked and
dropped before the next, and gives what :func:`lint_plugin.engine.analyse_tree` gives on
the whole module (``tests/lint/test_segments.py`` compares them):

- ``lint_plugin.segment_plan`` splits the module into segments of about :data:`BUDGET`
  characters of top-level statements, each with the *prelude* (imports, the docstring,
  small statements depending on nothing else); a segment's source keeps the module's
  lines (the others blank), so positions are the module's.
- The rules run on each segment; the prelude's findings, identical in every segment, are
  kept once. An import whose finding differs between segments (it depends on the
  import's uses) has all its uses put in one segment, whose finding is the module's: the
  module is planned again (:data:`RELINKS` times at most). Migration units
  (``lint_plugin.units``) are decided once for the module from what each segment
  recorded: a unit spanning segments (through an import's uses, or the module-wide token)
  is held back or applied whole.
- Names a fix generates are checked against the whole module's names afterwards.

A segment that does not parse raises :class:`Unparsed`: the engine reports the module's
syntax error, found a group of statements at a time. Whatever cannot be decided this way
makes :func:`analyse` return ``None`` and the engine check the module whole: a star
import from a target or relative module, lone ``\\r`` line ends, a module-level import of
a target module that is not in the prelude, a later import after a statement sharing its
line with an import, no top-level import of a target module while one other than the
first of ``settings.modules`` is imported somewhere, other prelude findings that differ between
segments, a generated name the whole module answers otherwise.
"""

from __future__ import annotations

import ast
import hashlib
import re
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Union

from lint_plugin import segment_pool, units
from lint_plugin.astwalk import child_nodes
from lint_plugin.context import Context
from lint_plugin.engine import Inspect, run_rules
from lint_plugin.model import Diagnostic, Edit, Fix, Position, Requirement
from lint_plugin.segment_plan import Plan, Undecidable, plan

if TYPE_CHECKING:
    from lint_plugin.settings import Settings
    from lint_plugin.spec import Rule

#: Modules longer than this (characters) are checked in segments: from here a whole check
#: costs more than segments do (a dense 0.9 MB module: 1.67 s and 123 MB whole, 1.01 s and
#: 41 MB in segments; one with a syntax error at its end held 190 MB whole).
THRESHOLD = 400_000
#: About how many characters of statements a segment holds (the prelude comes on top).
BUDGET = 200_000
#: How many times a module is planned again for imports whose findings depend on their uses.
RELINKS = 3

NodeKey = tuple[str, int, int, int, int]
Token = tuple[str, Union[NodeKey, int]]
Order = tuple[int, list[object]]


_NOTHING: frozenset[Any] = frozenset()


class Unparsed(Exception):
    """A segment does not parse: the module's error is to be found (the engine looks for
    it a group of statements at a time, ``parse_groups.first_syntax_error``)."""


class _Relink(Exception):
    """A prelude import's finding depends on its uses: plan again with every statement
    using these names in one segment."""

    def __init__(self, names: set[str]) -> None:
        self.names = names


def analyse(
    source: str,
    filename: str,
    settings: Settings,
    inspect: Inspect | None = None,
) -> units.Outcome | None:
    """What ``analyse_tree`` gives on the whole module, one segment at a time; ``None``
    when the module is small or must be checked whole. ``inspect`` is given each
    segment's context."""
    if len(source) <= THRESHOLD:
        return None
    rules, others = enabled_rules(settings)
    if not rules:
        return units.Outcome([])
    return decided(
        source,
        settings,
        BUDGET,
        lambda merged, segment: merged.check(segment, filename, settings, rules, others, inspect),
        ahead=lambda merged, segment: True,
    )[0]


def enabled_rules(settings: Settings) -> tuple[list[Rule], list[Rule]]:
    """The rules ``analyse_tree`` runs, and the others it still asks about units."""
    from lint_plugin.rules import ALL_RULES

    rules = [
        rule
        for rule in ALL_RULES
        if settings.is_enabled(rule.spec.code)
        and (rule.spec.default_enabled or settings.explicitly_selects(rule.spec.code))
    ]
    return rules, [r for r in ALL_RULES if r not in rules and r.spec.default_enabled]


def decided(
    source: str,
    settings: Settings,
    budget: int,
    check: Callable[[Merged, list[int]], Record],
    linked: frozenset[str] = frozenset(),
    ahead: Callable[[Merged, list[int]], bool] | None = None,
) -> tuple[units.Outcome | None, frozenset[str]]:
    """Plan ``source`` in segments of about ``budget`` characters, ``check`` each one and
    decide the units for the module; ``None`` when it must be checked whole, ``Unparsed``
    raised when a segment does not parse. Returns the ``linked`` names too (``plan``'s),
    found on the way or given. The segments ``ahead``
    accepts are checked in worker processes ahead of their turn (``segment_pool``),
    where ``check`` must parse them (``Merged.check``)."""
    # Kept from one plan to the next: the statements (chunks) are the same in every plan
    # of a text, and most segments too when a few names are linked.
    ready: dict[tuple[int, ...], bytes] = {}
    for _ in range(RELINKS + 1):
        try:
            layout = plan(source, tuple(settings.modules), linked, budget=budget)
            merged = Merged(source, layout)
            merged.ready = ready
            wanted = [
                s
                for s in layout.segments
                if ahead is not None and tuple(s) not in ready and ahead(merged, s)
            ]
            keys = {tuple(s) for s in wanted}
            records = segment_pool.checked_ahead(merged, wanted, check)
            try:
                for number, segment in enumerate(layout.segments):
                    if tuple(segment) in keys:
                        for done, packed in records:  # up to this segment's
                            if packed is not None:
                                ready[done] = packed
                            if done == tuple(segment):
                                break
                    merged.take(number, check(merged, segment))
            finally:
                records.close()  # a relink or an error: the workers stop
            return merged.decide(), linked
        except _Relink as relink:
            if relink.names <= linked:
                return None, linked
            linked |= relink.names
        except SyntaxError:
            raise Unparsed from None
        except (Undecidable, ValueError, RecursionError, MemoryError):
            return None, linked
    return None, linked


def _digest(text: str) -> bytes:
    # 128 bits: two different statements never meet under one key.
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _key(node: ast.AST) -> NodeKey:
    return (
        type(node).__name__,
        node.lineno,  # type: ignore[attr-defined]
        node.col_offset,  # type: ignore[attr-defined]
        node.end_lineno or 0,  # type: ignore[attr-defined]
        node.end_col_offset or 0,  # type: ignore[attr-defined]
    )


class _Asked(frozenset[str]):
    """``Context.used_names`` of one segment, remembering each name asked and the answer."""

    asked: dict[str, bool]

    def __contains__(self, name: object) -> bool:
        answer = super().__contains__(name)
        self.asked[str(name)] = answer
        return answer


class _SegmentContext(Context):
    """Remembers what ``used_names`` and ``binds`` answered from one segment: checked
    against the whole module's names once every segment is done."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.asked: dict[tuple[tuple[type[ast.AST], ...], bool], dict[str, bool]] = {}
        self.bound: dict[str, bool] = {}
        self.leading_stop: int | None = None
        """The first line of ``Plan.leading_stop``."""

    def used_names(
        self, defs: tuple[type[ast.AST], ...] = (), *, top_level: bool = False
    ) -> frozenset[str]:
        found = _Asked(super().used_names(defs, top_level=top_level))
        found.asked = self.asked.setdefault((defs, top_level), {})
        return found

    def binds(self, name: str) -> bool:
        answer = super().binds(name)
        self.bound[name] = answer
        return answer

    def leading_statements(self) -> list[ast.stmt]:
        # Those before the statement where the whole module's leading imports stop: a
        # segment without it would read on through the later prelude imports.
        body = self.tree.body
        if self.leading_stop is None:
            return body
        return [stmt for stmt in body if stmt.lineno < self.leading_stop]


@dataclass
class Site:
    order: Order
    legacy: bool
    text: str
    """``units._call_text``."""
    unchecked: list[tuple[str, Position]]
    """The reasons its handler holds it back, with the handler argument's start."""
    arguments: list[tuple[NodeKey, NodeKey | None, str]]
    """The arguments a reason may quote (``_arguments``): each one's key, the local class
    it passes, its text as quoted."""


class Role:
    """How a finding takes part in the migration units (``units.group``'s roles), kept
    small: there is one per finding of the module until the units are decided."""

    __slots__ = ("lineage", "moves", "ordered", "role", "tokens", "uses")

    def __init__(self, role: str, tokens: list[Token]) -> None:
        self.role = role
        self.tokens = tokens
        self.ordered: list[tuple[Order, list[Token]]] | None = None
        """A prelude import's site tokens, by the order of its uses (``moved_by``'s)."""
        self.moves: set[Token] | frozenset[Token] = _NOTHING
        """What a switch fix moves."""
        self.uses: list[tuple[Position, Position]] | None = None
        """Where a blocking switch's names are used."""
        self.lineage: frozenset[NodeKey] = _NOTHING
        """A blocker's enclosing call arguments and classes (``units._passed``)."""

    def copy(self) -> Role:
        new = Role(self.role, self.tokens)
        new.ordered, new.moves, new.lineage = self.ordered, self.moves, self.lineage
        # The only list merging changes in place (``Merged._merge_role``).
        new.uses = None if self.uses is None else list(self.uses)
        return new

    def all_tokens(self) -> list[Token]:
        if self.ordered is None:
            return self.tokens
        sites = [t for _, found in sorted(self.ordered, key=lambda p: p[0]) for t in found]
        return list(dict.fromkeys([*sites, *self.tokens]))


class _Placed(Mapping[int, tuple[str, list[Token]]]):
    """What ``units`` reads of each finding's role (its kind and tokens; none without
    tokens: it stands alone), read from the ``Role`` itself: a dense module's copy as a
    dict would cost 150 bytes a finding."""

    def __init__(self, roles: dict[int, Role]) -> None:
        self._roles = roles

    def __getitem__(self, key: int) -> tuple[str, list[Token]]:
        role = self._roles[key]
        tokens = role.all_tokens()
        if not tokens:
            raise KeyError(key)
        return role.role, tokens

    def __iter__(self) -> Iterator[int]:
        return (key for key, role in self._roles.items() if role.all_tokens())

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass
class _PreludeFinding:
    signature: tuple[object, ...]
    diagnostic: Diagnostic
    """As the first segment found it."""
    outside: list[tuple[tuple[int, Order], Edit]] = field(default_factory=list)
    """Its fix's edits outside the prelude, from every segment."""


Statement = tuple[int, int, bytes]
"""A statement's first line, its line breaks and a digest of its text."""
SegmentKey = tuple[tuple[Statement, ...], tuple[Statement, ...]]
Split = tuple[tuple[object, ...], list[tuple[tuple[int, Order], Edit]]]


@dataclass
class Record:
    """What one segment found and recorded (:meth:`Merged.check`), read by
    :meth:`Merged.take`; never changed once made, so that it can be taken again."""

    selected: list[Diagnostic]
    other: list[Diagnostic]
    split: dict[int, Split | None] = field(default_factory=dict)
    """Per prelude finding, ``Merged._split_fix``'s answer (``None``: it raised)."""
    roles: dict[int, Role] = field(default_factory=dict)
    sites: dict[Token, Site] = field(default_factory=dict)
    classes: dict[Token, tuple[tuple[int, Order], str, int]] = field(default_factory=dict)
    registered: dict[Token, None] = field(default_factory=dict)
    edges: list[list[Token]] = field(default_factory=list)
    any_units: bool = False
    names: set[str] = field(default_factory=set)
    defs: dict[tuple[type[ast.AST], bool], set[str]] = field(default_factory=dict)
    """The names of the defs and classes, by kind and whether at the top level."""
    bound: set[str] = field(default_factory=set)
    asked: list[tuple[tuple[tuple[type[ast.AST], ...], bool], dict[str, bool]]] = field(
        default_factory=list
    )
    binds_asked: set[tuple[str, bool]] = field(default_factory=set)
    held_in: set[str] = field(default_factory=set)
    """The attributes its classes keep a connection in (``connection_attributes``)."""
    held_in_asked: dict[str, bool] = field(default_factory=dict)

    # Pickled from a worker process (``segment_pool``): the findings keyed by ``id`` are
    # keyed by their place in ``selected`` and ``other`` on the way.
    def __getstate__(self) -> dict[str, object]:
        place = {id(d): i for i, d in enumerate([*self.selected, *self.other])}
        state = dict(vars(self))
        state["split"] = {place[k]: v for k, v in self.split.items()}
        state["roles"] = {place[k]: v for k, v in self.roles.items()}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        every = [*state["selected"], *state["other"]]
        state["split"] = {id(every[i]): v for i, v in state["split"].items()}
        state["roles"] = {id(every[i]): v for i, v in state["roles"].items()}
        vars(self).update(state)


class Merged:
    """What every segment found, and the migration units decided for the whole module."""

    def __init__(self, source: str, layout: Plan) -> None:
        self.source = source
        self.layout = layout
        chunks = layout.chunks
        # An array: a list of ints took 9.7 MB for a module of 260,000 small statements.
        self.first_lines = array("q", accumulate([1] + [c.lines for c in chunks]))
        self.prelude_lines = {
            line
            for i in layout.prelude
            # The last chunk's last line may have no newline.
            for line in range(self.first_lines[i], self.first_lines[i + 1] + (i == len(chunks) - 1))
        }
        self.selected: list[Diagnostic] = []
        self.others: list[Diagnostic] = []
        self.prelude: dict[tuple[object, ...], _PreludeFinding] = {}
        self.roles: dict[int, Role] = {}
        self.sites: dict[Token, Site] = {}
        self.classes: dict[Token, tuple[tuple[int, Order], str, int]] = {}
        """Legacy protocol subclasses: order (``legacy_subclasses`` finds them in rounds),
        name, line."""
        self.registered: dict[Token, None] = {}
        self.edges: list[list[Token]] = []
        self.mixed: Counter[str] = Counter()
        self.names: set[str] = set()
        self.defs: dict[tuple[type[ast.AST], bool], set[str]] = {}
        self.bound: set[str] = set()
        self.asked: list[tuple[tuple[tuple[type[ast.AST], ...], bool], dict[str, bool]]] = []
        self.binds_asked: set[tuple[str, bool]] = set()
        self.held_in: set[str] = set()
        self.held_in_asked: list[dict[str, bool]] = []
        self.found_first: set[tuple[tuple[object, ...], int]] | None = None
        """The prelude findings (and their statements) the first segment made."""
        self.any_units = False
        self._prelude_key: tuple[Statement, ...] | None = None
        self._merged_roles: set[int] = set()
        """The prelude findings whose role ``_merge_role`` copied to change it."""
        self.ready: dict[tuple[int, ...], bytes] = {}
        """Records checked ahead in worker processes, by segment (chunk indexes), packed."""

    def _text(self, segment: list[int]) -> str:
        """The module up to the segment's last statement, the other statements' lines
        blank (what follows is nothing to the parser: parsing and indexing it would make
        the cost of a module quadratic in its number of segments)."""
        chunks = self.layout.chunks
        first_lines = self.first_lines
        parts = []
        line = 1
        for i in segment:
            parts.append("\n" * (first_lines[i] - line))
            parts.append(self.source[chunks[i].start : chunks[i].end])
            line = first_lines[i + 1]
        return "".join(parts)

    def size(self, segment: list[int]) -> int:
        """The characters of a segment's statements."""
        chunks = self.layout.chunks
        return sum(chunks[i].end - chunks[i].start for i in segment)

    def key(self, segment: list[int]) -> SegmentKey:
        """What a segment's record depends on: its statements' texts (as digests: the texts
        would hold a second copy of the buffer) and lines (the prelude's part is the same
        object for every segment of the plan)."""
        if self._prelude_key is None:
            # Where the leading imports stop (``Plan.leading_stop``) is known from it: the
            # statement before is a prelude import.
            self._prelude_key = self._statements(self.layout.prelude)
        wanted = set(self.layout.prelude)
        return (self._prelude_key, self._statements([i for i in segment if i not in wanted]))

    def _statements(self, indexes: list[int]) -> tuple[Statement, ...]:
        chunks, source = self.layout.chunks, self.source
        return tuple(
            (self.first_lines[i], chunks[i].lines, _digest(source[chunks[i].start : chunks[i].end]))
            for i in indexes
        )

    def check(
        self,
        segment: list[int],
        filename: str,
        settings: Settings,
        rules: list[Rule],
        others: list[Rule],
        inspect: Inspect | None,
    ) -> Record:
        """Parse and check one segment: what it found and recorded, as data that holds no
        tree and depends only on its :meth:`key`."""
        ready = self.ready.get(tuple(segment))
        if ready is not None:
            if inspect is not None:
                inspect(None)  # the worker gave it the segment's context
            return segment_pool.unpacked(ready)
        text = self._text(segment)
        tree = ast.parse(text, filename=filename, type_comments=False)
        ctx = _SegmentContext(
            tree, text, settings, project=settings.project, module_name=settings.module_name
        )
        if self.layout.leading_stop is not None:
            ctx.leading_stop = self.first_lines[self.layout.leading_stop]
        if inspect is not None:
            inspect(ctx)
        record = Record(units.held_by_project(ctx, run_rules(ctx, rules)), run_rules(ctx, others))
        self._record_names(record, ctx)
        tops = self._tops(tree)
        every = [*record.selected, *record.other]
        for diagnostic in every:
            if diagnostic.fix is not None:
                diagnostic.fix.build()  # the builder holds the segment's model
        # The nodes on the findings' lines, and on the lines a prelude finding's fix edits.
        lines = {d.start.line for d in every}
        lines.update(
            edit.start.line
            for d in every
            if d.fix is not None and d.start.line in self.prelude_lines
            for edit in d.fix.edits
        )
        anchors = units._Anchors(ctx, lines)
        self._record_units(record, ctx, anchors, tops)
        for diagnostic in every:
            if diagnostic.start.line in self.prelude_lines:
                try:
                    record.split[id(diagnostic)] = self._split_fix(ctx, anchors, tops, diagnostic)
                except Undecidable:
                    record.split[id(diagnostic)] = None  # undecidable if the module needs it
        return record

    def take(self, number: int, record: Record) -> None:
        """Add the ``number``-th segment's record to the module's."""
        self.any_units = self.any_units or record.any_units
        self.names.update(record.names)
        for kind, names in record.defs.items():
            self.defs.setdefault(kind, set()).update(names)
        self.bound.update(record.bound)
        self.asked.extend(record.asked)
        self.binds_asked.update(record.binds_asked)
        self.held_in.update(record.held_in)
        self.held_in_asked.append(record.held_in_asked)
        self.registered.update(record.registered)
        self.edges.extend(record.edges)
        for token, site in record.sites.items():
            self.sites.setdefault(token, site)
        for token, cls in record.classes.items():
            self.classes.setdefault(token, cls)
        # Shared with the record (which may be taken again): ``_merge_role`` copies the one
        # role it changes.
        self.roles.update(record.roles)
        found_here: set[tuple[tuple[object, ...], int]] = set()
        for found, into in ((record.selected, self.selected), (record.other, self.others)):
            for diagnostic in found:
                if diagnostic.start.line not in self.prelude_lines:
                    into.append(diagnostic)
                    continue
                chunk = bisect_right(self.first_lines, diagnostic.start.line) - 1
                owner = self.layout.owners.get(chunk)
                if owner is not None and owner != number:
                    # The segment with every use of the import has the module's finding.
                    self.roles.pop(id(diagnostic), None)
                    continue
                key = (diagnostic.code, diagnostic.start, diagnostic.end)
                split = record.split[id(diagnostic)]
                if split is None:
                    raise Undecidable
                signature, outside = split
                seen = self.prelude.get(key)
                if seen is None:
                    seen = self.prelude[key] = _PreludeFinding(signature, diagnostic)
                    into.append(diagnostic)
                elif seen.signature != signature:
                    raise self._depending([chunk])
                else:
                    self._merge_role(diagnostic, seen.diagnostic)
                seen.outside.extend(outside)
                if owner is None:
                    found_here.add((key, chunk))
        if self.found_first is None:
            self.found_first = found_here
        elif found_here != self.found_first:
            # A prelude finding some segments make and others do not.
            raise self._depending([chunk for _, chunk in found_here ^ self.found_first])

    def _depending(self, chunks: list[int]) -> Exception:
        """What to do when these prelude statements' findings depend on the segment."""
        if all(self.layout.chunks[i].imports for i in chunks):
            return _Relink({name for i in chunks for name in self.layout.chunks[i].binds})
        return Undecidable()

    def _split_fix(
        self,
        ctx: Context,
        anchors: units._Anchors,
        tops: dict[int, tuple[int, int]],
        diagnostic: Diagnostic,
    ) -> tuple[tuple[object, ...], list[tuple[tuple[int, Order], Edit]]]:
        """A prelude finding without its fix's edits outside the prelude (the renamed uses
        of an import, found in the segments that hold them), and those edits in module
        order (the order of the uses: the nodes they replace)."""
        fix = diagnostic.fix
        if fix is None:
            return (diagnostic,), []
        edits = fix.edits
        lines = self.prelude_lines
        inside = [i for i, e in enumerate(edits) if e.start.line in lines and e.end.line in lines]
        if len(inside) == len(edits):
            return (diagnostic,), []
        # The edits outside the prelude are contiguous: they are put back in their place.
        at = next(i for i in range(len(edits)) if i not in inside)
        outside = edits[at : at + len(edits) - len(inside)]
        if any(e.start.line in lines for e in outside):
            raise Undecidable
        nodes = anchors.nodes
        statement = ctx.text_between(diagnostic.start, diagnostic.end)
        ordered = []
        for edit in outside:
            replaced = [
                n
                for n in nodes.get(edit.start.line, ())
                if ctx.start(n) == edit.start and ctx.end(n) == edit.end
            ]
            if not replaced:
                raise Undecidable
            # Whole, the uses of an import's names come name by name, each in tree order.
            name = re.search(rf"\b{re.escape(ctx.text(replaced[0]))}\b", statement)
            rank = name.start() if name is not None else -1
            ordered.append(((rank, max(_order(ctx.model, n, tops) for n in replaced)), edit))
        kept = replace(fix, edits=edits[:at] + edits[at + len(outside) :])
        return (replace(diagnostic, fix=None), kept, at), ordered

    def _tops(self, tree: ast.Module) -> dict[int, tuple[int, int]]:
        """Each top-level statement's place in the module: (its chunk's first line, rank in
        the chunk). Lines, not chunk numbers: a record is reused when statements before
        its own are added or removed on the same lines."""
        found: dict[int, tuple[int, int]] = {}
        previous = (-1, -1)
        for stmt in tree.body:
            chunk = self.first_lines[bisect_right(self.first_lines, stmt.lineno) - 1]
            rank = previous[1] + 1 if previous[0] == chunk else 0
            previous = found[id(stmt)] = (chunk, rank)
        return found

    def _record_names(self, record: Record, ctx: _SegmentContext) -> None:
        model = ctx.model
        record.names.update(Context.used_names(ctx))
        # Names by kind, not a tuple per def: 17 MB of tuples for 260,000 small functions.
        for node in model.nodes_of(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            kind = (type(node), model.parent(node) is ctx.tree)
            record.defs.setdefault(kind, set()).add(node.name)  # type: ignore[attr-defined]
        record.bound.update(name for scope in model.scopes.values() for name in scope.bindings)
        record.asked.extend(ctx.asked.items())
        record.binds_asked.update(ctx.bound.items())
        record.held_in.update(model.connection_attributes())
        record.held_in_asked.update(model.held_in_asked)

    def _record_units(
        self,
        record: Record,
        ctx: _SegmentContext,
        anchors: units._Anchors,
        tops: dict[int, tuple[int, int]],
    ) -> None:
        """What ``units.group`` reads from the model, as data that outlives it."""
        model = ctx.model
        record.any_units = units.may_hold(model, record.selected)
        unchecked: dict[int, list[tuple[str, Position]]] = {}
        for handler in units.site_holds(ctx):
            unchecked.setdefault(id(handler.site.node), []).append(
                (handler.reason, ctx.start(handler.argument))
            )
        tokens: dict[tuple[str, int], Token] = {}
        arguments = {
            id(argument)
            for site in model.call_sites
            for argument in [*site.node.args, *site.node.keywords]
        }
        for site in model.call_sites:
            token: Token = ("site", _key(site.node))
            tokens["site", id(site.node)] = token
            record.registered[token] = None
            for keyword in site.node.keywords:
                if keyword.arg in {"create_protocol", "klass"}:
                    local = model.local_class(keyword.value)
                    if local is not None and id(local) in model.legacy_subclasses:
                        record.edges.append([token, ("class", _key(local))])
        for defined in model.nodes_of(ast.ClassDef):
            tokens["class", id(defined)] = ("class", _key(defined))
        for callback in model.callbacks:
            # A callback's call may be one no rule rewrites (not in ``call_sites``).
            if callback.site is not None:
                tokens["site", id(callback.site.node)] = ("site", _key(callback.site.node))
        tokens[units.FILE] = units.FILE
        previous: Order | None = None
        rounds = 0
        for cls in model.legacy_subclasses.values():
            order = _order(model, cls, tops)
            if previous is not None and order < previous:
                rounds += 1  # a class found in a later round (its base comes after it)
            previous = order
            token = ("class", _key(cls))
            record.registered[token] = None
            for base in cls.bases:
                local = model.local_class(base)
                if local is not None:
                    record.edges.append([token, ("class", _key(local))])
            if model.legacy_base(cls) and token not in record.classes:
                record.classes[token] = ((rounds, order), cls.name, cls.lineno)

        every = [*record.selected, *record.other]
        chosen = {id(d) for d in record.selected}
        inside: set[NodeKey] = set()  # the call arguments holding a blocker
        alike: dict[tuple[str, tuple[Token, ...]], Role] = {}
        for diagnostic in every:
            node = anchors.node_of(diagnostic)
            needs = units.requirement(ctx, diagnostic, node)
            if needs is None or node is None:
                continue
            fixable = id(diagnostic) in chosen and units._has_fix(diagnostic)
            if needs is Requirement.SWITCH:
                role = Role("switch" if fixable else "kept", [])
                moved: set[Token] = set()
                uses: list[tuple[Position, Position]] = []
                in_prelude = diagnostic.start.line in self.prelude_lines
                self._link_module_alias(ctx, node)
                for ref in _refs(ctx, node) if in_prelude else [node]:
                    found, moves, used = anchors.moved_by(ref, annotations=fixable)
                    found_tokens = [tokens[t] for t in found]
                    sites = [t for t in found_tokens if t[0] == "site"]
                    if in_prelude and sites:
                        # Whole, the sites come in the order of the import's uses.
                        role.ordered = role.ordered or []
                        role.ordered.append((_order(model, ref, tops), sites))
                        found_tokens = [t for t in found_tokens if t[0] != "site"]
                    role.tokens.extend(found_tokens)
                    moved.update(tokens[t] for t in moves)
                    uses.extend((ctx.start(n), ctx.end(n)) for n in used)
                if fixable:
                    role.moves = moved
                else:
                    role.uses = uses
            else:
                role = Role(
                    ("new" if needs is Requirement.NEW else "both") if fixable else "blocker",
                    [tokens[t] for t in anchors.of_node(node)],
                )
                callee = units.factory_callee(ctx, node) if role.role == "blocker" else None
                if callee is not None:
                    role.uses = [callee]
            if role.role in ("blocker", "kept"):
                lineage = [
                    _key(n)
                    for n in [node, *model.ancestors(node)]
                    if isinstance(n, ast.ClassDef) or id(n) in arguments
                ]
                if lineage:
                    role.lineage = frozenset(lineage)
            if not (role.lineage or role.moves or role.uses is not None or role.ordered):
                # One object for the findings alike: most of a dense module's.
                role = alike.setdefault((role.role, tuple(role.tokens)), role)
            record.roles[id(diagnostic)] = role
            inside.update(role.lineage)

        for site in model.call_sites:
            token = tokens["site", id(site.node)]
            if token not in record.sites:
                record.sites[token] = Site(
                    _order(model, site.node, tops),
                    site.legacy,
                    units._call_text(ctx, site),
                    unchecked.get(id(site.node), []),
                    _arguments(ctx, site.node, inside),
                )

    def _link_module_alias(self, ctx: _SegmentContext, node: ast.AST) -> None:
        """A name read through a module imported under a name of its own moves with every
        other use of that name (``units._Anchors.moved_by``): they must be in one segment."""
        aliased = units._module_alias(ctx, node)
        if aliased is None:
            return
        line = aliased[1].lineno
        if line in self.prelude_lines:
            chunk = bisect_right(self.first_lines, line) - 1
            if chunk not in self.layout.owners:
                raise self._depending([chunk])

    def _merge_role(self, duplicate: Diagnostic, kept: Diagnostic) -> None:
        """A prelude finding's role in another segment: its uses there join the first's."""
        role = self.roles.pop(id(duplicate), None)
        into = self.roles.get(id(kept))
        if role is None and into is None:
            return
        if role is None or into is None or role.role != into.role:
            raise Undecidable
        if id(kept) not in self._merged_roles:
            into = self.roles[id(kept)] = into.copy()
            self._merged_roles.add(id(kept))
        into.tokens = list(dict.fromkeys([*into.tokens, *role.tokens]))
        if role.ordered is not None:
            into.ordered = (into.ordered or []) + role.ordered
        into.moves = into.moves | role.moves
        if into.uses is not None and role.uses is not None:
            into.uses.extend(role.uses)

    def decide(self) -> units.Outcome:
        """``units.group`` over the whole module, from what the segments recorded."""
        self._check_names()
        rebuilt = self._rebuilt_prelude()
        selected = sorted((rebuilt.get(id(d), d) for d in self.selected), key=lambda d: d.sort_key)
        others = sorted((rebuilt.get(id(d), d) for d in self.others), key=lambda d: d.sort_key)
        if not self.any_units:
            return units.Outcome(selected)
        # Its tokens hold node positions, not ids: they outlive the segments' trees.
        graph: Any = units._Graph()
        for token in self.registered:
            graph.find(token)
        for edge in self.edges:
            graph.union(edge)
        every = [*selected, *others]
        roles = _Placed(self.roles)
        moved: set[Token] = set()
        for diagnostic in every:
            role = self.roles.get(id(diagnostic))
            if role is None:
                continue
            tokens = role.all_tokens()
            if not tokens:
                continue  # nothing uses what it names: it stands alone
            if role.role == "switch":
                moved |= role.moves
            graph.union(tokens)
        if units.FILE in graph.parent:
            graph.union(list(graph.parent))

        components = units._Components[Token](graph.find)
        sites: dict[int, list[tuple[Token, Site]]] = {}
        classes: dict[int, list[tuple[Token, str, int]]] = {}
        for token, site in sorted(self.sites.items(), key=lambda item: item[1].order):
            sites.setdefault(id(components.unit_of(token)), []).append((token, site))
        for token, (_, name, line) in sorted(self.classes.items(), key=lambda item: item[1][0]):
            classes.setdefault(id(components.unit_of(token)), []).append((token, name, line))
        blockers = components.place(every, roles)

        replaced: dict[int, Diagnostic] = {}
        mixed: Counter[str] = Counter()
        for unit in components.units.values():
            unit_sites = sites.get(id(unit), [])
            unit_classes = classes.get(id(unit), [])
            unit_blockers = blockers.get(id(unit), [])
            legacy = units.is_legacy(
                unit.kept, bool(unit_classes), [site.legacy for _, site in unit_sites]
            )
            if not legacy and unit_sites:
                mixed.update(d.code for d in unit_blockers if not d.code.startswith("WSU1"))
            if not legacy:
                continue
            fixes = [d.fix for d in [*unit.switches, *unit.members] if d.fix is not None]
            unit_blockers = [
                d
                for d in unit_blockers
                if not (
                    (uses := self.roles[id(d)].uses)
                    and all(any(f.rewrites(*use) for f in fixes) for use in uses)
                )
            ]
            unchecked = [u for _, site in unit_sites for u in site.unchecked]
            arguments = {start for _, start in unchecked}
            unit_blockers = [
                d for d in unit_blockers if not (d.code == "WSU301" and d.start in arguments)
            ]
            unit.reasons = [
                *(reason for reason, _ in unchecked),
                *self._reasons(unit_sites, unit_classes, unit_blockers, moved, roles),
            ]
            units.settle(unit, replaced)
        return units.Outcome([replaced.get(id(d), d) for d in selected], mixed)

    def _rebuilt_prelude(self) -> dict[int, Diagnostic]:
        """The prelude findings whose fixes edit uses elsewhere, with every segment's edits
        (their roles follow them)."""
        rebuilt: dict[int, Diagnostic] = {}
        for finding in self.prelude.values():
            if not finding.outside:
                continue
            old = finding.diagnostic
            _, kept, at = finding.signature
            assert isinstance(kept, Fix) and isinstance(at, int)
            ranks = {rank for (rank, _), _ in finding.outside}
            if -1 in ranks and len(ranks) > 1:
                raise Undecidable  # uses of several names, one not in the statement
            uses = tuple(edit for _, edit in sorted(finding.outside, key=lambda p: p[0]))
            fix = replace(kept, edits=kept.edits[:at] + uses + kept.edits[at:])
            new = rebuilt[id(old)] = replace(old, fix=fix)
            if id(old) in self.roles:
                self.roles[id(new)] = self.roles.pop(id(old))
        return rebuilt

    def _reasons(
        self,
        unit_sites: list[tuple[Token, Site]],
        unit_classes: list[tuple[Token, str, int]],
        blockers: list[Diagnostic],
        moved: set[Token],
        roles: _Placed,
    ) -> list[str]:
        """``units._reasons``, from the recorded sites and blockers."""
        first = next((s for s in unit_sites if s[1].legacy), unit_sites[0] if unit_sites else None)
        own_sites = {token for token, _ in unit_sites}
        reasons = []
        for blocker in blockers:
            what = f"line {blocker.start.line} needs a hand edit ({blocker.code})"
            tokens = roles.get(id(blocker), ("", []))[1]
            own = [t for t in tokens if t[0] == "site" and t in own_sites]
            site = (own[0], self.sites[own[0]]) if own else first
            if site is not None:
                where = site[1].text
                role = self.roles[id(blocker)]
                passed = next(
                    (
                        text
                        for key, local, text in site[1].arguments
                        if key in role.lineage or local in role.lineage
                    ),
                    None,
                )
                if passed is not None:
                    what = f"{where} passes `{passed}` ({blocker.code} needs a hand edit)"
                else:
                    what = (
                        f"{where} depends on line {blocker.start.line} "
                        f"({blocker.code} needs a hand edit)"
                    )
            reasons.append(what)
        for token, legacy_site in unit_sites:
            if legacy_site.legacy and token not in moved:
                reasons.append(
                    f"{legacy_site.text} stays on the legacy implementation "
                    "(no selected fix moves it)"
                )
        for token, name, line in unit_classes:
            if token not in moved:
                reasons.append(
                    f"`{name}` at line {line} stays a legacy protocol subclass "
                    "(no selected fix rebases it)"
                )
        return reasons

    def _check_names(self) -> None:
        """The names a fix generated, and the attributes connections are kept in, were
        asked of one segment: the whole module must answer the same."""
        wholes: dict[tuple[tuple[type[ast.AST], ...], bool], set[str]] = {}
        for (defs, top_level), asked in self.asked:
            whole = wholes.get((defs, top_level))
            if whole is None:
                whole = wholes[defs, top_level] = self.names.union(
                    *(
                        names
                        for (kind, top), names in self.defs.items()
                        if kind in defs and (top or not top_level)
                    )
                )
            if any((name in whole) != answer for name, answer in asked.items()):
                raise Undecidable
        if any((name in self.bound) != answer for name, answer in self.binds_asked):
            raise Undecidable
        # An attribute read through another object is a connection where some class of the
        # module keeps one in it: a segment without that class answered otherwise.
        for asked in self.held_in_asked:
            if any((attr in self.held_in) != answer for attr, answer in asked.items()):
                raise Undecidable


def _refs(ctx: Context, node: ast.AST) -> list[ast.AST]:
    """The uses ``units._Anchors.moved_by`` follows from ``node``, one at a time."""
    if not isinstance(node, (ast.ImportFrom, ast.Import, ast.alias)):
        return [node]
    refs: list[ast.AST] = []
    for alias in [node] if isinstance(node, ast.alias) else node.names:
        binding = ctx.model.binding_made_by(alias)
        if binding is not None:
            refs.extend(units._references(ctx, binding))
    return refs


def _order(model: object, node: ast.AST, tops: dict[int, tuple[int, int]]) -> Order:
    """``node``'s place in ``ast.walk`` order over the whole module (breadth first: by
    depth, then by the path of child indexes from the module)."""
    parent_of = model.parent  # type: ignore[attr-defined]
    path: list[object] = []
    current = node
    parent = parent_of(current)
    while parent is not None and not isinstance(parent, ast.Module):
        path.append(next(i for i, c in enumerate(child_nodes(parent)) if c is current))
        current, parent = parent, parent_of(parent)
    path.append(tops[id(current)])
    path.reverse()
    return (len(path), path)


def _arguments(
    ctx: Context, call: ast.Call, inside: set[NodeKey]
) -> list[tuple[NodeKey, NodeKey | None, str]]:
    """The arguments ``units._passed`` may name: those holding a blocker (``inside``) or
    passing a class of the module."""
    found: list[tuple[NodeKey, NodeKey | None, str]] = []
    arguments: list[ast.expr | ast.keyword] = [*call.args, *call.keywords]
    for argument in arguments:
        value = argument.value if isinstance(argument, ast.keyword) else argument
        local = ctx.model.local_class(value)
        key = _key(argument)
        if local is None and key not in inside:
            continue
        text = ctx.text(argument).split("\n")[0]
        if len(text) > 40:
            text = text[:37] + "..."
        found.append((key, _key(local) if local is not None else None, text))
    return found
