"""Migration units: moving code to the new implementation together, or not at all.

A fix that switches code from the legacy implementation to the new one (the import or
attribute chain a ``serve()`` / ``connect()`` call, a protocol subclass or an exception
goes through) is only right together with every fix that adapts what depends on it: the
call's arguments, its callbacks, the classes passed as ``create_protocol`` / ``klass``, the
attributes read from its connections, the exceptions it raises. A :class:`MigrationUnit`
gathers them from the semantic model; ruff isolates fixes the same way.

How a rule's fix takes part, without knowing about units:

- ``Fix.requires`` says what the fix needs (:class:`~lint_plugin.model.Requirement`):
  ``SWITCH`` moves code to the new implementation, ``NEW`` is right only on the new
  implementation, ``BOTH`` is right on both (``timeout=`` -> ``close_timeout=``). Left
  ``None``, the rule's usual requirement applies (:data:`RULE_REQUIREMENTS`; the WSU1xx
  rules switch when what they rename is an implementation object, see :func:`requirement`).
- What a diagnostic depends on is found from where it is reported: inside a
  ``serve()`` / ``connect()`` call, inside one of its callbacks, inside a legacy protocol
  subclass (tied to the calls it is passed to), in the ``async with`` / ``for`` over a
  call; anywhere else, the whole module (the conservative choice).

A unit is applied whole: every member's fix carries every edit of the unit (so a quick fix
in an editor, the cache and ``--fix`` all apply it whole) with the least safe member's
applicability and ``Fix.unit`` set. A unit is held back, its switch and ``NEW`` fixes
turned into hints saying why ("not migrated: ..."), when one of its members has no
automatic fix (or its rule is not selected), when a legacy call or class in it is moved by
no selected fix, or when its fixes overlap. ``BOTH`` fixes of a held unit still apply. A
unit with no call (the calls raising into its ``except`` are elsewhere) is legacy when it
keeps a legacy object no fix moves (``websockets.legacy.client.Connect.__aiter__ = ...``).

Units are found here one module at a time. Across modules, ``wsu check`` first decides
which callbacks defined in another module migrate with the legacy ``serve()`` using them
(``lint_plugin.cli.project_units``), and this module reads it from the project index: a
legacy ``serve()`` whose handler is not a ``def`` of the module is held back unless the
index shows that handler to take the connection only or to migrate with it, and the fixes
inside a handler another module's held-back ``serve()`` uses are held back too. While a
module of the run patches a legacy object (``Settings.legacy_patches``), every switch is
held back (``held_by_project``), and so are a module's switches while another file reads a
legacy-only member through an attribute it keeps a connection in
(``Settings.attribute_reads``). Without the index (flake8, the language server), code in
another module is not seen (docs/migration-suite.md).
"""

from __future__ import annotations

import ast
import bisect
import functools
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from lint_plugin import names
from lint_plugin.astwalk import child_nodes, walk
from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, Edit, Fix, Position, Requirement
from lint_plugin.scopes import positional_params
from lint_plugin.semantic import CallSite, KeywordArg, SemanticModel

if TYPE_CHECKING:
    from lint_plugin.rules._rewrites_imported import UncheckedHandler
    from lint_plugin.semantic.project import ProjectIndex

#: What each rule's fixes need, unless a fix says otherwise. Rules absent here (the opt-in
#: behaviour notes) are not part of any unit. The WSU1xx rules are refined by ``requirement``.
RULE_REQUIREMENTS: dict[str, Requirement] = {
    **dict.fromkeys(
        ["WSU101", "WSU102", "WSU103", "WSU104", "WSU105", "WSU106"], Requirement.SWITCH
    ),
    **dict.fromkeys(
        [
            "WSU201",
            "WSU202",
            "WSU203",
            "WSU204",
            "WSU205",
            "WSU206",
            "WSU207",
            "WSU208",
            "WSU209",
        ],
        Requirement.NEW,
    ),
    **dict.fromkeys(["WSU301", "WSU302", "WSU303", "WSU304"], Requirement.NEW),
    **dict.fromkeys(["WSU401", "WSU402", "WSU404", "WSU405", "WSU408", "WSU411"], Requirement.NEW),
    **dict.fromkeys(["WSU403", "WSU406", "WSU407", "WSU409"], Requirement.BOTH),
}

#: Objects whose users behave differently once renamed to their new counterpart.
IMPLEMENTATION_NAMES = (
    names.LEGACY_CONNECT
    | names.LEGACY_SERVE
    | names.LEGACY_CLASSES
    | names.BASIC_AUTH_FACTORY
    | names.INVALID_STATUS_CODE
    | frozenset(
        f"{names.ROOT}.{path}"
        for path in (
            "legacy.server.broadcast",
            "legacy.protocol.broadcast",
            "legacy.exceptions.AbortHandshake",
            "legacy.exceptions.RedirectHandshake",
            "exceptions.AbortHandshake",
            "exceptions.RedirectHandshake",
            "AbortHandshake",
            "RedirectHandshake",
            # What the legacy ``serve()`` gives: its annotations move with that call.
            "legacy.server.WebSocketServer",
            "server.WebSocketServer",
            "WebSocketServer",
        )
    )
)
IMPLEMENTATION_MODULES = tuple(
    f"{names.ROOT}.{module}"
    for module in ("legacy.client", "legacy.server", "legacy.protocol", "legacy.auth", "legacy")
)

Token = tuple[str, int]
FILE: Token = ("file", 0)


@dataclass(eq=False)
class MigrationUnit:
    """Fixes that must be applied together, and what keeps them from being applied."""

    key: str
    sites: list[CallSite] = field(default_factory=list)
    classes: list[ast.ClassDef] = field(default_factory=list)
    switches: list[Diagnostic] = field(default_factory=list)
    members: list[Diagnostic] = field(default_factory=list)
    """Fixes that need the switch (``NEW``)."""
    reasons: list[str] = field(default_factory=list)
    """Why the unit is held back; empty when it can be applied."""
    kept: bool = False
    """A use of a legacy implementation object that no fix moves is in the unit."""

    @property
    def legacy(self) -> bool:
        return is_legacy(self.kept, bool(self.classes), [site.legacy for site in self.sites])


def is_legacy(kept: bool, classes: bool, sites: Sequence[bool]) -> bool:
    """Whether a unit runs on the legacy implementation: it has a legacy class or call, or,
    without calls (they raise into it from another module), it keeps a legacy object no fix
    moves (``websockets.legacy.client.Connect.__aiter__ = ...``)."""
    return classes or any(sites) or (kept and not sites)


def may_hold(model: SemanticModel, selected: Iterable[Diagnostic]) -> bool:
    """Whether a unit of the module may be held back: there is a call or legacy class, or a
    fix needing the new implementation (a switch, or what needs one) that a legacy use no
    fix moves would hold."""
    if model.call_sites or model.legacy_subclasses:
        return True
    return any(map(_needs_the_new, selected))


@dataclass
class Outcome:
    diagnostics: list[Diagnostic]
    """The selected diagnostics, with units combined or held back."""
    mixed: Counter[str] = field(default_factory=Counter)
    """Codes of legacy uses left where everything else runs on the new implementation."""


def requirement(ctx: Context, diagnostic: Diagnostic, node: ast.AST | None) -> Requirement | None:
    """What ``diagnostic``'s fix needs; ``None`` for a rule outside every unit."""
    if diagnostic.fix is not None and diagnostic.fix.requires is not None:
        return diagnostic.fix.requires
    usual = RULE_REQUIREMENTS.get(diagnostic.code)
    if usual is not Requirement.SWITCH:
        return usual
    subjects = _subjects(ctx, node) if node is not None else []
    if not subjects:
        return Requirement.NEW  # not a name but what is read from one (``exc.status_code``)
    before_14 = ctx.target_version < (14, 0)
    for subject in subjects:
        if subject in IMPLEMENTATION_NAMES or subject.startswith(IMPLEMENTATION_MODULES):
            return Requirement.SWITCH
        if before_14 and names.strip_root(subject) in names.SWITCHED:
            return Requirement.SWITCH
    return Requirement.BOTH


def _subjects(ctx: Context, node: ast.AST) -> list[str]:
    """Canonical names an import statement, alias or chain refers to."""
    found = []
    if isinstance(node, (ast.ImportFrom, ast.alias, ast.Import)):
        statement = node if not isinstance(node, ast.alias) else ctx.model.parent(node)
        aliases = [node] if isinstance(node, ast.alias) else getattr(node, "names", [])
        for alias in aliases:
            if isinstance(statement, ast.ImportFrom) and statement.module and not statement.level:
                dotted = f"{statement.module}.{alias.name}"
            else:
                dotted = alias.name
            qualname = ctx.model.canonical(dotted)
            if qualname is not None:
                found.append(qualname.canonical)
    elif isinstance(node, ast.expr):
        qualname = ctx.model.qualified_name(node)
        if qualname is not None:
            found.append(qualname.canonical)
    return found


class _Graph:
    """Union-find over what diagnostics depend on: calls, legacy classes, the module."""

    def __init__(self) -> None:
        self.parent: dict[Token, Token] = {}

    def find(self, token: Token) -> Token:
        self.parent.setdefault(token, token)
        while self.parent[token] != token:
            self.parent[token] = self.parent[self.parent[token]]
            token = self.parent[token]
        return token

    def union(self, tokens: Iterable[Token]) -> None:
        roots = [self.find(t) for t in tokens]
        for root in roots[1:]:
            self.parent[self.find(root)] = self.find(roots[0])


T = TypeVar("T", bound=Hashable)


class _Components(Generic[T]):
    """The migration unit of each component of a graph (given by its ``find``), made
    when one of its tokens is first asked for."""

    def __init__(self, find: Callable[[T], T]) -> None:
        self.find = find
        self.units: dict[T, MigrationUnit] = {}

    def unit_of(self, token: T) -> MigrationUnit:
        root = self.find(token)
        if root not in self.units:
            self.units[root] = MigrationUnit(key=f"unit-{len(self.units) + 1}")
        return self.units[root]

    def place(
        self, every: Iterable[Diagnostic], roles: Mapping[int, tuple[str, Sequence[T]]]
    ) -> dict[int, list[Diagnostic]]:
        """Each finding with a role goes to the unit of its first token: a switch or a
        new-only fix becomes one of its members; blockers are returned, by unit. A fix
        right on both implementations stands alone, whether the unit moves or not. A
        ``kept`` finding is a blocker naming a legacy object (its switch has no fix)."""
        blockers: dict[int, list[Diagnostic]] = {}
        for diagnostic in every:
            if id(diagnostic) not in roles:
                continue
            role, tokens = roles[id(diagnostic)]
            unit = self.unit_of(tokens[0])
            if role == "switch":
                unit.switches.append(diagnostic)
            elif role in ("blocker", "kept"):
                unit.kept = unit.kept or role == "kept"
                blockers.setdefault(id(unit), []).append(diagnostic)
            elif role == "new":
                unit.members.append(diagnostic)
        return blockers


class _Anchors:
    """Where a diagnostic's code belongs: which calls and legacy classes it depends on."""

    def __init__(self, ctx: Context, lines: set[int]) -> None:
        self.ctx = ctx
        model = ctx.model
        self.sites = {id(site.node): site for site in model.call_sites}
        self.callbacks: dict[int, list[Token]] = {}
        for callback in model.callbacks:
            function = callback.target.function
            if callback.site is not None:
                token: Token = ("site", id(callback.site.node))
            else:
                cls = model.enclosing_class(function)
                token = ("class", id(cls)) if cls is not None else FILE
            self.callbacks.setdefault(id(function), []).append(token)
        self.classes = {
            id(cls): cls for cls in model.legacy_subclasses.values() if model.legacy_base(cls)
        }
        self._lines = lines
        self._nodes: _LineNodes | None = None
        self._raising: dict[int, list[Token]] = {}
        self._tokens: dict[int, list[Token]] = {}
        # Positions inside an f-string may repeat those of its other parts (before 3.12).
        self._fstrings = bool(ctx.model.nodes_of(ast.JoinedStr))

    @property
    def nodes(self) -> _LineNodes:
        """The nodes on the findings' ``lines``, by line (``get`` only)."""
        if self._nodes is None:
            self._nodes = _LineNodes(self.ctx.tree, self._lines)
        return self._nodes

    def node_of(self, diagnostic: Diagnostic) -> ast.AST | None:
        """The first node in ``ast.walk`` order spanning the diagnostic's range, else the
        first starting where it does."""
        start, end = diagnostic.start, diagnostic.end
        ctx = self.ctx
        if ctx.ascii:
            reported = ctx.reported.get((start.line, start.column, end.line, end.column))
            if reported is not None:
                found = self._reported(reported, end)
                if found is not None:
                    return found
        on_line = self.nodes.get(start.line, ())
        if ctx.ascii:
            # Columns are the parser's own: compared without building positions.
            candidates = [n for n in on_line if n.col_offset == start.column]  # type: ignore[attr-defined]
            for node in candidates:
                if (node.end_lineno or node.lineno) == end.line and (  # type: ignore[attr-defined]
                    node.end_col_offset or 0  # type: ignore[attr-defined]
                ) == end.column:
                    return node
        else:
            candidates = [n for n in on_line if ctx.start(n) == start]
            for node in candidates:
                if ctx.end(node) == end:
                    return node
        return candidates[0] if candidates else None

    def _reported(self, node: ast.AST, end: Position) -> ast.AST | None:
        """``node_of`` from a node reported at the diagnostic's start, without the index:
        the nodes starting where one does are nested (but for the parts of an f-string), so
        they are its ancestors and descendants starting there, in ``ast.walk`` order from
        the outermost one. ``None`` when that cannot be told this way."""
        model = self.ctx.model
        if id(node) not in model.parents:
            return None  # not in the tree: parsed from a string annotation
        start = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
        if self._fstrings:
            # Before Python 3.12, the parts of an f-string may all have its position.
            for enclosing in [node, *model.ancestors(node)]:
                if isinstance(enclosing, (ast.JoinedStr, ast.FormattedValue)):
                    return None
                if isinstance(enclosing, ast.stmt):
                    break
        parents = model.parents
        outermost = node
        ancestor: ast.AST | None = parents.get(id(node))
        while ancestor is not None:
            line = getattr(ancestor, "lineno", None)
            if line is not None:
                if (line, ancestor.col_offset) != start:  # type: ignore[attr-defined]
                    break  # it starts elsewhere, and so does every node above it
                outermost = ancestor
            ancestor = parents.get(id(ancestor))
        if _ends_at(outermost, end):
            return outermost  # the first of them: no need to look further
        found = [outermost]
        for current in found:  # breadth first, as ``ast.walk``
            if self._fstrings and isinstance(current, ast.JoinedStr):
                return None
            for child in child_nodes(current):
                line = getattr(child, "lineno", None)
                if line is None or (line, child.col_offset) == start:  # type: ignore[attr-defined]
                    found.append(child)
        for candidate in found:
            if hasattr(candidate, "lineno") and _ends_at(candidate, end):
                return candidate
        return outermost

    def of_node(self, node: ast.AST) -> list[Token]:
        """The calls, callbacks or classes enclosing ``node``; the module if none."""
        parents = self.ctx.model.parents
        # What a node outside a ``try`` leads to does not depend on the child it is reached
        # from: remembered for each such node on the way, findings share their ancestors.
        known = self._tokens
        passed: list[int] = []
        previous: ast.AST | None = None
        current: ast.AST | None = node
        found = [FILE]
        while current is not None:
            if isinstance(current, ast.Try):
                if previous in current.handlers:
                    # An exception handler depends on the calls that raise into it.
                    raising = self._raising.get(id(current))
                    if raising is None:
                        raising = self._raising[id(current)] = [
                            ("site", id(inner))
                            for statement in current.body
                            for inner in walk(statement)
                            if isinstance(inner, ast.Call) and id(inner) in self.sites
                        ]
                    if raising:
                        found = raising
                        break
            else:
                remembered = known.get(id(current))
                if remembered is not None:
                    found = remembered
                    break
                passed.append(id(current))
                own = self._own_tokens(current)
                if own is not None:
                    found = own
                    break
            previous = current
            current = parents.get(id(current))
        for key in passed:
            known[key] = found
        return found

    def _own_tokens(self, current: ast.AST) -> list[Token] | None:
        """The call, callback or class ``current`` is, or the calls it runs a block over."""
        if isinstance(current, ast.Call) and id(current) in self.sites:
            return [("site", id(current))]
        if id(current) in self.callbacks:
            return self.callbacks[id(current)]
        if isinstance(current, ast.ClassDef) and id(current) in self.ctx.model.legacy_subclasses:
            return [("class", id(current))]
        if isinstance(current, (ast.With, ast.AsyncWith)):
            found: list[Token] = [
                ("site", id(call))
                for item in current.items
                if (call := _call_of(item.context_expr)) is not None and id(call) in self.sites
            ]
            if found:
                return found
        if isinstance(current, (ast.For, ast.AsyncFor)):
            call = _call_of(current.iter)
            if call is not None and id(call) in self.sites:
                return [("site", id(call))]
        return None

    def moved_by(
        self, node: ast.AST, *, annotations: bool
    ) -> tuple[list[Token], set[Token], list[ast.AST]]:
        """What a switch fix on ``node`` moves: the tokens it depends on, the calls and
        classes it moves, and the uses of the names it moves (outside annotations).
        ``annotations``: with the calls giving what its annotations annotate, which a switch
        that can be fixed moves with (a hint-only one holds no call back for them)."""
        model = self.ctx.model
        refs: list[ast.AST] = []
        if isinstance(node, (ast.ImportFrom, ast.Import, ast.alias)):
            aliases = [node] if isinstance(node, ast.alias) else node.names
            for alias in aliases:
                binding = model.binding_made_by(alias)
                if binding is not None:
                    refs.extend(_references(self.ctx, binding))
        elif (aliased := _module_alias(self.ctx, node)) is not None:
            # ``ws.connect`` after ``import websockets.client as ws``: the fix imports
            # another module as ``ws``, moving every use.
            refs.extend(_references(self.ctx, aliased[0]))
        else:
            refs.append(node)
        tokens: list[Token] = []
        moved: set[Token] = set()
        uses: list[ast.AST] = []
        for ref in refs:
            outer = ref
            while (
                isinstance(parent := model.parent(outer), ast.Attribute) and parent.value is outer
            ):
                outer = parent
            parent = model.parent(outer)
            if (
                isinstance(parent, ast.Call)
                and id(parent) in self.sites
                and self.sites[id(parent)].callee is outer
            ):
                token: Token = ("site", id(parent))
                moved.add(token)
                tokens.append(token)
            elif isinstance(parent, ast.ClassDef) and outer in parent.bases:
                token = ("class", id(parent))
                moved.add(token)
                tokens.append(token)
            elif not _in_annotation(self.ctx, outer):
                tokens.extend(self.of_node(outer))
            else:
                # ``ws: WebSocketClientProtocol = await connect(...)``: the annotation names
                # what the call gives, and moves with it.
                if annotations:
                    tokens.extend(self._annotated_sites(outer))
                continue
            uses.append(outer)
        return tokens, moved, uses

    def _annotated_sites(self, annotation: ast.AST) -> list[Token]:
        """The calls (or callbacks) giving what ``annotation`` annotates: the value of an
        annotated assignment; what the class assigns to an annotated ``self.attr`` or
        class-body ``attr`` (directly, or through a name bound to a call); a callback's
        parameter's calls."""
        model = self.ctx.model
        statement = self.ctx.statement_of(annotation)
        if isinstance(statement, ast.AnnAssign):
            values = [statement.value] if statement.value is not None else []
            target = statement.target
            owner: ast.AST | None = None
            attr = None
            if isinstance(target, ast.Attribute):  # ``self.ws: T`` in a method
                owner, attr = model.self_class(target.value), target.attr
            elif isinstance(target, ast.Name):  # ``ws: T`` in the class body
                owner, attr = model.parent(statement), target.id
            if isinstance(owner, ast.ClassDef) and attr is not None:
                values += model.attribute_values(owner).get(attr, [])
            return [token for value in values for token in self._given_by(value)]
        for ancestor in model.ancestors(annotation):
            if isinstance(ancestor, ast.arg):
                function = model.parent(model.parent(ancestor) or ancestor)
                return self.callbacks.get(id(function), []) if function is not None else []
        return []

    def _given_by(self, value: ast.expr) -> list[Token]:
        """The calls inside ``value``, and inside the value of a name it reads that is
        bound once to one (``server = serve(...)``, then ``server.ws_server``)."""
        found: list[Token] = []
        for node in walk(value):
            if id(node) in self.sites:
                found.append(("site", id(node)))
            elif isinstance(node, ast.Name):
                binding = self.ctx.model.binding_of(node)
                bound = binding.value if binding is not None else None
                if binding is not None and binding.kind == "assign" and bound is not None:
                    found += [("site", id(n)) for n in walk(bound) if id(n) in self.sites]
                elif binding is not None and binding.kind == "other":
                    found += self._bound_by_loop(binding.node)
        return found

    def _bound_by_loop(self, target: ast.AST) -> list[Token]:
        """The calls an ``async for`` / ``async with`` target is given by (``async for
        websocket in connect(...)``, then ``self._ws = websocket``)."""
        model = self.ctx.model
        parent = model.parent(target)
        if isinstance(parent, (ast.For, ast.AsyncFor)) and parent.target is target:
            given: ast.AST | None = parent.iter
        elif isinstance(parent, ast.withitem) and parent.optional_vars is target:
            given = parent.context_expr
        elif isinstance(parent, (ast.With, ast.AsyncWith)):
            given = next((i.context_expr for i in parent.items if i.optional_vars is target), None)
        else:
            given = None
        if given is None:
            return []
        return [("site", id(n)) for n in walk(given) if id(n) in self.sites]


def _ends_at(node: ast.AST, end: Position) -> bool:
    """Whether a node with a position ends at ``end`` (ASCII: columns are the parser's)."""
    return (node.end_lineno or node.lineno) == end.line and (  # type: ignore[attr-defined]
        node.end_col_offset or 0  # type: ignore[attr-defined]
    ) == end.column


class _LineNodes:
    """The nodes on a line, in ``ast.walk`` order, for the given ``lines``: found by walking
    only the top-level statements a line is in (each once), not the whole module."""

    def __init__(self, tree: ast.Module, lines: set[int]) -> None:
        self._body = tree.body
        self._lines = lines
        # A decorated definition starts at its first decorator.
        self._firsts = [
            min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", ()))])
            for stmt in tree.body
        ]
        self._walked: dict[tuple[int, ...], dict[int, list[ast.AST]]] = {}

    def get(self, line: int, default: Sequence[ast.AST] = ()) -> Sequence[ast.AST]:
        if line not in self._lines:
            return default
        # The statements holding ``line``: more than one when they share it (``a; b``).
        holding: list[int] = []
        index = bisect.bisect_right(self._firsts, line) - 1
        while index >= 0 and (self._body[index].end_lineno or 0) >= line:
            holding.insert(0, index)
            index -= 1
        key = tuple(holding)
        by_line = self._walked.get(key)
        if by_line is None:
            by_line = self._walked[key] = {}
            # Walked together, as the module's walk reaches them: breadth first.
            roots = ast.Module(body=[self._body[i] for i in key], type_ignores=[])
            for node in walk(roots)[1:]:
                by_line.setdefault(getattr(node, "lineno", 0), []).append(node)
        return by_line.get(line, default)


def _call_of(expr: ast.expr) -> ast.Call | None:
    if isinstance(expr, ast.Await):
        expr = expr.value
    return expr if isinstance(expr, ast.Call) else None


def _references(ctx: Context, binding: object) -> list[ast.Name]:
    from lint_plugin.rules._edits import references

    return references(ctx, binding)  # type: ignore[arg-type]


def _module_alias(ctx: Context, node: ast.AST) -> tuple[object, ast.alias] | None:
    """``module_alias`` for the modules whose names WSU102's fix moves by importing another
    module under the alias (``websockets.client``, ``websockets.server``)."""
    from lint_plugin.rules._edits import module_alias
    from lint_plugin.rules.wsu102_deprecated_submodule_alias import ALIASED_MODULES

    found = module_alias(ctx, node)
    if found is None:
        return None
    qualname = ctx.model.canonical(found[1].name)
    return found if qualname is not None and qualname.canonical in ALIASED_MODULES else None


#: From this version, the new ``connect()`` is an async iterator (the reconnect loop).
RECONNECT_SINCE = (13, 1)


@dataclass(frozen=True)
class SiteHold:
    """A legacy call that cannot move on the target version, whatever the fixes."""

    site: CallSite
    argument: ast.expr
    """Where its reason is about (no WSU301 report starts there)."""
    reason: str


def site_holds(ctx: Context) -> list[UncheckedHandler | SiteHold]:
    """What holds a legacy call back by itself: a handler whose signature is not known to
    be new-style (``unchecked_handlers``); keyword arguments unpacked from a mapping (their
    names are not known: a legacy-only option there breaks the new call); a ``serve()``
    made outside a coroutine (the new one needs a running loop); ``async for`` over a
    legacy ``connect()`` (before 13.1 the new one cannot be iterated; after, without
    ``process_exception=``, it stops on errors the legacy loop retried); and ``serve()``
    given ``subprotocols=`` without ``select_subprotocol=`` (the new server rejects a client
    offering none)."""
    from lint_plugin.rules._rewrites_imported import unchecked_handlers

    handlers = unchecked_handlers(ctx)
    reconnects = ctx.target_version < RECONNECT_SINCE
    iterated = _iterated(ctx)
    by_site: dict[int, list[UncheckedHandler]] = {}
    for handler in handlers:
        by_site.setdefault(id(handler.site.node), []).append(handler)
    holds: list[UncheckedHandler | SiteHold] = []
    # By call, in the model's order: the segments see them so (``segments.Site``).
    for site in ctx.model.call_sites:
        holds.extend(by_site.get(id(site.node), ()))
        if not site.legacy or site.family == "protocol":
            continue
        chosen = _chosen_callee(ctx, site)
        if chosen is not None:
            reason = (
                f"{_call_text(ctx, site)} calls `{ctx.text(site.callee)}`, chosen at line "
                f"{chosen.lineno} (`{ctx.text(chosen)}`): the other choice would stay legacy"
            )
            holds.append(SiteHold(site, site.callee, reason))
        for mapping in ctx.model.open_mappings(site):
            shown = ctx.text(mapping).split("\n")[0][:40]
            reason = (
                f"{_call_text(ctx, site)} passes `**{shown}`, which may hold options "
                f"the new `{site.family}()` does not take"
            )
            holds.append(SiteHold(site, mapping, reason))
        for read in _legacy_serve_reads(ctx, site):
            reason = (
                f"{_call_text(ctx, site)} is read as the legacy `Serve` at line {read.lineno} "
                f"(`.{read.attr}`: the new `serve()` gives the server itself)"
            )
            holds.append(SiteHold(site, read, reason))
        # A ``partial(serve, ...)`` makes nothing yet: where it is called is not known.
        if site.family == "serve" and not site.partial and not in_coroutine(ctx, site.node):
            reason = (
                f"{_call_text(ctx, site)} is made outside a coroutine, where the new `serve()` "
                "raises RuntimeError (no running event loop)"
            )
            holds.append(SiteHold(site, site.node, reason))
        arguments = ctx.model.keyword_args(site)
        given = {argument.name for argument in arguments}
        if site.family == "connect" and id(site.node) in iterated:
            if reconnects:
                reason = (
                    f"{_call_text(ctx, site)} reconnects in `async for`, which the new "
                    "`connect()` supports from websockets 13.1"
                )
                holds.append(SiteHold(site, site.node, reason))
            elif "process_exception" not in given:
                # The legacy loop retried after any error, the new one only after network
                # errors and HTTP 5xx: moved alone, a 403 ends a loop that went on.
                reason = (
                    f"{_call_text(ctx, site)} reconnects in `async for`, where the new loop "
                    "stops on errors the legacy one retried (HTTP 403, 429...): migrate it by "
                    "hand, choosing with `process_exception=` (WSU503)"
                )
                holds.append(SiteHold(site, site.node, reason))
        if site.family == "serve" and "subprotocols" in given and not _selects(ctx, arguments):
            reason = (
                f"{_call_text(ctx, site)} passes `subprotocols=`: the new server rejects a client "
                "offering none of them (HTTP 400), which the legacy one accepted: migrate it "
                "by hand, with `select_subprotocol=` if such clients must be served (WSU502)"
            )
            holds.append(SiteHold(site, site.node, reason))
    return holds


def _chosen_callee(ctx: Context, site: CallSite) -> ast.IfExp | None:
    """TikTokLive's ``connect = ProxyConnect if proxy else Connect``: the conditional
    expression a called name is bound to."""
    callee = site.callee
    if not isinstance(callee, ast.Name):
        return None
    binding = ctx.model.binding_of(callee)
    value = binding.value if binding is not None else None
    return value if isinstance(value, ast.IfExp) else None


def _iterated(ctx: Context) -> set[int]:
    """id() of what ``async for`` loops iterate, and of the value a name they iterate is
    bound to (e2b's ``connector = connect(url)``, then ``async for ws in connector``)."""
    found: set[int] = set()
    for loop in ctx.model.nodes_of(ast.AsyncFor):
        assert isinstance(loop, ast.AsyncFor)
        found.add(id(loop.iter))
        if isinstance(loop.iter, ast.Name):
            binding = ctx.model.binding_of(loop.iter)
            if binding is not None and binding.kind == "assign" and binding.value is not None:
                found.add(id(binding.value))
    return found


def _selects(ctx: Context, arguments: Sequence[KeywordArg]) -> bool:
    """Whether a ``serve()`` given ``arguments`` gets a ``select_subprotocol``: as an
    argument, or from the protocol class it is given, whose override the fixes turn into
    one."""
    if any(argument.name == "select_subprotocol" for argument in arguments):
        return True
    for argument in arguments:
        if argument.name == "create_protocol" and argument.value is not None:
            cls = ctx.model.local_class(argument.value)
            if cls is not None and any(
                isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
                and stmt.name == "select_subprotocol"
                for stmt in cls.body
            ):
                return True
    return False


#: What the legacy ``serve()`` object has and the new ``Server`` has not.
_LEGACY_SERVE_ATTRIBUTES = frozenset({"ws_server"})


def _legacy_serve_reads(ctx: Context, site: CallSite) -> list[ast.Attribute]:
    """``x.ws_server`` where ``x = serve(...)`` (a name or ``self.attr``, as written)."""
    if site.family != "serve" or not site.legacy:
        return []
    parent = ctx.model.parent(site.node)
    if not isinstance(parent, (ast.Assign, ast.AnnAssign)) or parent.value is not site.node:
        return []
    targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
    held = {ctx.text(t) for t in targets if isinstance(t, (ast.Name, ast.Attribute))}
    reads = ctx.cache.get("legacy_serve_reads")
    if reads is None:  # found once per module: a dense one has thousands of serve() calls
        reads = ctx.cache["legacy_serve_reads"] = [
            node
            for node in ctx.model.nodes_of(ast.Attribute)
            if isinstance(node, ast.Attribute) and node.attr in _LEGACY_SERVE_ATTRIBUTES
        ]
    return [node for node in cast("list[ast.Attribute]", reads) if ctx.text(node.value) in held]


def factory_callee(ctx: Context, node: ast.AST | None) -> tuple[Position, Position] | None:
    """Where ``Connect`` / ``Serve`` is named in a call of the legacy class itself: the
    legacy ``connect()`` / ``serve()`` under another name. Its WSU304 finding holds nothing
    back once the unit's switch renames that name (``Connect(...)`` -> ``connect(...)``)."""
    if not isinstance(node, ast.Call):
        return None
    for site in ctx.model.call_sites:
        if site.node is node and site.qualname.canonical in names.LEGACY_FACTORY_CLASSES:
            callee = site.callee
            if isinstance(callee, ast.Name):
                # ``import Connect as C``: the switch rewrites the alias, not the name.
                binding = ctx.model.binding_of(callee)
                alias = binding.node if binding is not None else None
                if isinstance(alias, ast.alias) and alias.asname is not None:
                    return ctx.start(alias), ctx.end(alias)
            return ctx.start(callee), ctx.end(callee)
    return None


def in_coroutine(ctx: Context, node: ast.AST, _seen: frozenset[int] = frozenset()) -> bool:
    """``node`` runs in a coroutine: inside an ``async def``, or in a function every call of
    which (by name, in this module; at least one) is in a coroutine."""
    function = ctx.model.enclosing_function(node)
    if isinstance(function, ast.AsyncFunctionDef):
        return True
    if not isinstance(function, ast.FunctionDef) or id(function) in _seen:
        return False
    if _runs_a_loop(ctx, function):
        return False  # it would raise in a coroutine: its callers found by name are others
    calls = _calls_of(ctx, function)
    seen = _seen | {id(function)}
    return bool(calls) and all(in_coroutine(ctx, call, seen) for call in calls)


#: Calls that run an event loop, so that the function making them runs in none.
_LOOP_RUNNERS = frozenset({"run_until_complete", "run_forever"})


def _runs_a_loop(ctx: Context, function: ast.FunctionDef) -> bool:
    """``function`` runs an event loop itself (``loop.run_until_complete(...)``,
    ``asyncio.run(...)``), not in a function nested in it."""
    for node in walk(function):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        attr = node.func.attr
        runs = attr in _LOOP_RUNNERS or (
            attr == "run"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "asyncio"
        )
        if runs and ctx.model.enclosing_function(node) is function:
            return True
    return False


def outside_a_loop(ctx: Context, node: ast.AST) -> bool:
    """``node`` is known to run where no event loop does (``in_coroutine`` only says that
    it may): at module level; in a function that runs a loop itself; given to
    ``run_until_complete()`` (directly or through a name); or in a function every call of
    which (by name, at least one) is one of these."""
    function = ctx.model.enclosing_function(node)
    if function is None:
        return True
    if not isinstance(function, ast.FunctionDef):
        return False
    if _runs_a_loop(ctx, function) or _run_until_complete(ctx, node):
        return True
    calls = _calls_of(ctx, function)
    return bool(calls) and all(
        _run_until_complete(ctx, call)
        or (ctx.model.enclosing_function(call) is None)
        or (
            isinstance(caller := ctx.model.enclosing_function(call), ast.FunctionDef)
            and _runs_a_loop(ctx, caller)
        )
        for call in calls
    )


def top_serve_outside_a_loop(ctx: Context, site: CallSite) -> bool:
    """The top-level ``serve()`` made outside a coroutine (``outside_a_loop``): from 14.0
    the name is the new one, but only the legacy one runs there (WSU104 says so)."""
    return (
        not site.partial
        and site.qualname.canonical in names.TOP_SERVE
        and outside_a_loop(ctx, site.node)
    )


def _run_until_complete(ctx: Context, node: ast.AST) -> bool:
    """``node`` (or the name it is assigned to) is given to ``run_until_complete()``."""
    given = [node]
    statement = ctx.model.parent(node)
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        if isinstance(target, ast.Name):
            scope = ctx.model.enclosing_function(node) or ctx.tree
            given += [
                n
                for n in walk(scope)
                if isinstance(n, ast.Name) and n.id == target.id and isinstance(n.ctx, ast.Load)
            ]
    for value in given:
        call = ctx.model.parent(value)
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "run_until_complete"
            and value in call.args
        ):
            return True
    return False


def _calls_of(ctx: Context, function: ast.FunctionDef) -> list[ast.Call]:
    """The calls of the module that may call ``function`` (``_calls_by_name``)."""
    return [
        call
        for call in ctx.model.nodes_of(ast.Call)
        if isinstance(call, ast.Call) and _calls_by_name(ctx, call.func, function)
    ]


def _calls_by_name(ctx: Context, func: ast.expr, function: ast.FunctionDef) -> bool:
    """``func`` may be ``function``: its name bound to it, or an attribute of that name."""
    if isinstance(func, ast.Attribute):
        return func.attr == function.name
    if isinstance(func, ast.Name) and func.id == function.name:
        binding = ctx.model.binding_of(func)
        return binding is not None and binding.node is function
    return False


def _in_annotation(ctx: Context, node: ast.AST) -> bool:
    current = node
    for parent in ctx.model.ancestors(node):
        if isinstance(parent, ast.arg) and parent.annotation is current:
            return True
        if (
            isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef))
            and parent.returns is current
        ):
            return True
        if isinstance(parent, ast.AnnAssign) and parent.annotation is current:
            return True
        if isinstance(parent, ast.stmt):
            return False
        current = parent
    return False


def _needs_the_new(diagnostic: Diagnostic) -> bool:
    """A fix (a switch, or one right only on the new implementation, by its rule's usual
    requirement) that a hold would turn into a hint."""
    fix = diagnostic.fix
    needs = (fix.requires if fix is not None else None) or RULE_REQUIREMENTS.get(diagnostic.code)
    return _has_fix(diagnostic) and needs in (Requirement.NEW, Requirement.SWITCH)


def _has_fix(diagnostic: Diagnostic) -> bool:
    fix = diagnostic.fix
    return (
        fix is not None and fix.has_edits and fix.applicability is not (Applicability.DISPLAY_ONLY)
    )


def group(
    ctx: Context,
    selected: list[Diagnostic],
    others: Callable[[], list[Diagnostic]],
) -> Outcome:
    """Combine or hold back the migration units of one module.

    ``selected``: what the enabled rules report. ``others()``: what the other rules would
    report; their findings cannot be fixed in this run, so they hold back the unit they
    belong to.
    """
    model = ctx.model
    selected = held_by_project(ctx, selected)
    if not may_hold(model, selected):
        return Outcome(selected)
    graph = _Graph()
    for site in model.call_sites:
        graph.find(("site", id(site.node)))
        for keyword in site.node.keywords:
            if keyword.arg in {"create_protocol", "klass"}:
                local = model.local_class(keyword.value)
                if local is not None and id(local) in model.legacy_subclasses:
                    graph.union([("site", id(site.node)), ("class", id(local))])
    for cls in model.legacy_subclasses.values():
        graph.find(("class", id(cls)))
        for base in cls.bases:
            local = model.local_class(base)
            if local is not None:
                graph.union([("class", id(cls)), ("class", id(local))])

    chosen = {id(d) for d in selected}
    every = [*selected, *others()]
    anchors = _Anchors(ctx, {d.start.line for d in every})
    roles: dict[int, tuple[str, list[Token]]] = {}
    moved: set[Token] = set()
    uses: dict[int, list[tuple[Position, Position]]] = {}
    for diagnostic in every:
        node = anchors.node_of(diagnostic)
        needs = requirement(ctx, diagnostic, node)
        if needs is None or node is None:
            continue
        fixable = id(diagnostic) in chosen and _has_fix(diagnostic)
        if needs is Requirement.SWITCH:
            tokens, moves, used = anchors.moved_by(node, annotations=fixable)
            if not tokens:
                continue  # nothing uses what it names: it stands alone
            if fixable:
                moved |= moves
            uses[id(diagnostic)] = [(ctx.start(n), ctx.end(n)) for n in used]
            role = "switch" if fixable else "kept"
        else:
            tokens = anchors.of_node(node)
            role = ("new" if needs is Requirement.NEW else "both") if fixable else "blocker"
            if role == "blocker":
                callee = factory_callee(ctx, node)
                if callee is not None:
                    uses[id(diagnostic)] = [callee]
        graph.union(tokens)
        roles[id(diagnostic)] = (role, tokens)

    # Everything the module-wide token touches is one unit.
    if FILE in graph.parent:
        graph.union(list(graph.parent))
    components = _Components(graph.find)
    for site in model.call_sites:
        components.unit_of(("site", id(site.node))).sites.append(site)
    for cls in anchors.classes.values():
        components.unit_of(("class", id(cls))).classes.append(cls)
    blockers = components.place(every, roles)

    replaced: dict[int, Diagnostic] = {}
    mixed: Counter[str] = Counter()
    for unit in components.units.values():
        unit_blockers = blockers.get(id(unit), [])
        if not unit.legacy and unit.sites:
            # Uses still fixable are pending, not left behind: a later pass fixes them.
            mixed.update(d.code for d in unit_blockers if not d.code.startswith("WSU1"))
        if not unit.legacy:
            continue  # already on the new implementation: each fix stands alone
        # A name whose every use another fix of the unit rewrites is no obstacle: once
        # they are applied, its import is unused and its own fix drops it.
        fixes = [d.fix for d in [*unit.switches, *unit.members] if d.fix is not None]
        unit_blockers = [
            d
            for d in unit_blockers
            if not (
                uses.get(id(d)) and all(any(f.rewrites(*use) for f in fixes) for use in uses[id(d)])
            )
        ]
        # A handler whose signature is not known to be new-style holds its serve() back;
        # its own WSU301 report (no fix) at the argument says nothing more.
        unchecked = [u for u in site_holds(ctx) if any(u.site is s for s in unit.sites)]
        arguments = {ctx.start(u.argument) for u in unchecked}
        unit_blockers = [
            d for d in unit_blockers if not (d.code == "WSU301" and d.start in arguments)
        ]
        unit.reasons = [
            *(u.reason for u in unchecked),
            *_reasons(ctx, anchors, unit, unit_blockers, moved, roles),
        ]
        settle(unit, replaced)
    return Outcome([replaced.get(id(d), d) for d in selected], mixed)


def settle(unit: MigrationUnit, replaced: dict[int, Diagnostic]) -> None:
    """Put in ``replaced`` (by id) the unit's findings as the unit leaves them: held back
    with its ``reasons`` (and one more when its fixes overlap), or each with the whole
    unit's edits, unsafe if one of its fixes is."""
    edits = None
    if not unit.reasons:
        edits, unit.switches = _fitting(unit)
    if not unit.reasons and edits is None:
        codes = ", ".join(sorted({d.code for d in [*unit.switches, *unit.members]}))
        unit.reasons.append(f"the fixes of {codes} overlap; apply them by hand")
    if unit.reasons:
        shown: dict[tuple[object, ...], Fix] = {}
        for diagnostic in [*unit.switches, *unit.members]:
            replaced[id(diagnostic)] = _held(diagnostic, unit.reasons, shown)
        return
    assert edits is not None
    applicability = (
        Applicability.UNSAFE
        if any(
            d.fix is not None and d.fix.applicability is Applicability.UNSAFE
            for d in [*unit.switches, *unit.members]
        )
        else Applicability.SAFE
    )
    for diagnostic in [*unit.switches, *unit.members]:
        assert diagnostic.fix is not None
        fix = diagnostic.fix.replaced(edits=edits, applicability=applicability, unit=unit.key)
        replaced[id(diagnostic)] = diagnostic.replaced(fix=fix)


def _held_remote(ctx: Context, selected: list[Diagnostic]) -> list[Diagnostic]:
    """Hold back the fixes inside a handler another module passes to a legacy ``serve()``
    (project index): that call is migrated with its own file, maybe held back there."""
    model = ctx.model
    if model.project is None or model.module_name is None:
        return selected
    users: dict[str, list[str]] = {}
    for use in model.project.callbacks_for(model.module_name):
        # One the run migrates with its ``serve()`` is no longer held (cli/project_units.py).
        if (
            use.role == "handler"
            and use.legacy
            and not model.project.migrates(use.module, use.name)
        ):
            users.setdefault(use.name, []).append(use.used_in)
    # Such a handler taking more than the connection holds that ``serve()`` back there.
    remote = [
        c.target.function
        for c in model.callbacks
        if c.site is None
        and getattr(c.target.function, "name", None) in users
        and len(positional_params(c.target.function.args)) != 1
    ]
    if not remote:
        return selected
    spans = [(ctx.start(f), ctx.end(f), getattr(f, "name", "")) for f in remote]

    def reasons(diagnostic: Diagnostic) -> list[str]:
        inside = [n for start, end, n in spans if start <= diagnostic.start <= end]
        if not inside:
            return []
        where = ", ".join(f"`{m}`" for m in sorted(set(users[inside[0]])))
        return [
            f"`{inside[0]}` is the handler of the legacy `serve()` in {where}, which is "
            "migrated with its own file: migrate both by hand"
        ]

    return _hold_where(selected, reasons)


def _held_passed(ctx: Context, selected: list[Diagnostic]) -> list[Diagnostic]:
    """Connections passed between modules (project index): the module receiving one holds
    back every fix needing the new implementation (the connection's call is migrated, or
    not, with its own file), and the module passing one to a module reading legacy-only
    members (``.open``...) holds back its own (moved alone, the connection would lack them
    there)."""
    model = ctx.model
    project, module = model.project, model.module_name
    if project is None or module is None:
        return selected
    reasons = [
        f"`{passed.name}` is given its connection by `{passed.used_in}` (line"
        f" {passed.line}), migrated with its own file: migrate both by hand"
        for passed in project.passes_for(module)
    ]
    own = project.modules.get(module)
    for passed in own.passes if own is not None else ():
        reading = _reading_beyond(project, passed.module, module)
        if reading is not None:
            where, line, member = reading
            beyond = "" if where == passed.module else f", which gives it to `{where}`"
            used = (
                f"reading `.{member}` (line {line}), which the new connection lacks"
                if member[:1].islower()
                else f"naming the legacy `{member}` (line {line})"
            )
            reasons.append(
                f"`{passed.name}` of `{passed.module}`, given the connection at line"
                f" {passed.line}{beyond}, is in a module {used}: migrate both by hand"
            )
    if not reasons:
        return selected
    return _hold_where(selected, lambda diagnostic: reasons)


def _reading_beyond(project: ProjectIndex, first: str, origin: str) -> tuple[str, int, str] | None:
    """(module, line, member): the first module reading a legacy-only member among
    ``first`` and the modules it passes connections on to, in turn."""
    seen = {origin}
    todo = [first]
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        seen.add(name)
        facts = project.modules.get(name)
        if facts is None:
            continue
        if facts.legacy_reads:
            line, member = facts.legacy_reads[0]
            return name, line, member
        todo.extend(p.module for p in facts.passes)
    return None


def held_by_project(ctx: Context, selected: list[Diagnostic]) -> list[Diagnostic]:
    """The fixes held back by what lies beyond the module's calls: the switch of a
    ``connect`` / ``serve`` used as a value (``_held_values``); inside a handler another
    module's legacy ``serve()`` uses; every switch (with what needs it) while a module
    patches or mocks a legacy object (``websockets.legacy.client.Connect.__aiter__ = ...``:
    code moved to the new implementation would no longer run the patch), or while this
    module imports a legacy protocol subclass of another."""
    selected = _held_passed(ctx, _held_remote(ctx, _held_values(ctx, selected)))
    patches = (*ctx.settings.legacy_patches, *_read_elsewhere(ctx))
    imported = _imported_legacy_classes(ctx) if ctx.settings.legacy_classes else []
    if not patches and not imported:
        return selected
    if ctx.settings.legacy_patches:
        reason = (
            f"{patches[0]}, which code on the new implementation would not meet: migrate by hand"
        )
        patches = patches[1:]
    elif patches:
        reason, patches = patches[0], patches[1:]
    else:
        reason = (
            f"`{imported[0]}`, imported here, is a legacy protocol subclass of another module"
            " and stays one: migrate it first"
        )
    return _hold_where(selected, lambda diagnostic: [reason, *patches])


def _read_elsewhere(ctx: Context) -> list[str]:
    """Where another file reads a legacy-only member through an attribute this module keeps
    a connection in (``Settings.attribute_reads``): moved to the new implementation, the
    connection would lack it there."""
    if not ctx.settings.attribute_reads:
        return []
    kept = ctx.model.connection_attributes()
    return [
        f"`{shown}:{line}` reads `.{attr}.{member}`, which the new connection this module"
        f" keeps in `{attr}` lacks (that file is not fixed with it)"
        for attr, shown, line, member in ctx.settings.attribute_reads
        if attr in kept
    ]


def _hold_where(
    selected: list[Diagnostic], reasons_for: Callable[[Diagnostic], list[str]]
) -> list[Diagnostic]:
    """``selected``, each fix needing the new implementation held back for the reasons
    ``reasons_for`` gives it (none: kept as it is)."""
    shown: dict[tuple[object, ...], Fix] = {}
    found = []
    for diagnostic in selected:
        if _needs_the_new(diagnostic):
            reasons = reasons_for(diagnostic)
            if reasons:
                diagnostic = _held(diagnostic, reasons, shown)
        found.append(diagnostic)
    return found


def _held_values(ctx: Context, selected: list[Diagnostic]) -> list[Diagnostic]:
    """Switches of a legacy ``connect`` / ``serve`` the module uses as a value
    (``connector=websockets.connect``, ``self.open = connect``): the connections its calls
    open elsewhere are not followed, so what they read may be legacy-only."""
    values = _factory_values(ctx)
    if not values:
        return selected
    lines: dict[int, int] = {}  # an import's line -> the line of a value it binds
    spans = []
    for node in values:
        spans.append((ctx.start(node), ctx.end(node), node.lineno))
        if isinstance(node, ast.Name):
            binding = ctx.model.binding_of(node)
            if binding is not None and isinstance(binding.node, ast.alias):
                lines.setdefault(ctx.start(binding.node).line, node.lineno)

    def reasons(diagnostic: Diagnostic) -> list[str]:
        if not diagnostic.code.startswith("WSU1"):
            return []
        used = lines.get(diagnostic.start.line) or next(
            (
                line
                for start, end, line in spans
                if diagnostic.start <= start and end <= diagnostic.end
            ),
            None,
        )
        if used is None:
            return []
        return [
            f"line {used} passes it as a value (a default, an argument): the connections it "
            "opens are not followed; migrate by hand"
        ]

    return _hold_where(selected, reasons)


#: The last part of every legacy ``connect`` / ``serve`` name.
_FACTORY_NAMES = frozenset(
    name.rpartition(".")[2]
    for name in names.LEGACY_CONNECT | names.LEGACY_SERVE | names.TOP_CONNECT | names.TOP_SERVE
)


def _factory_values(ctx: Context) -> list[ast.expr]:
    """References to a legacy ``connect`` / ``serve`` that are neither called nor given to
    ``functools.partial`` (those are call sites)."""
    model = ctx.model
    legacy = names.LEGACY_CONNECT | names.LEGACY_SERVE
    if ctx.target_version < (14, 0):
        legacy = legacy | names.TOP_CONNECT | names.TOP_SERVE
    # The names an import of a target module binds, and the factories' own names: only
    # those may be a factory (a qualified name for every node would cost a dense module).
    imported = {
        alias.asname or alias.name.partition(".")[0]
        for statement in model.nodes_of(ast.Import, ast.ImportFrom)
        if isinstance(statement, (ast.Import, ast.ImportFrom))
        for alias in statement.names
    }
    called = {id(site.callee) for site in model.call_sites}
    called.update(id(node.func) for node, _ in model.qualified_calls)
    found: list[ast.expr] = []
    for node in model.nodes_of(ast.Name, ast.Attribute):
        if id(node) in called or not isinstance(node, (ast.Name, ast.Attribute)):
            continue
        if (
            node.attr not in _FACTORY_NAMES
            if isinstance(node, ast.Attribute)
            else (node.id not in imported)
        ):
            continue
        if not isinstance(node.ctx, ast.Load):
            continue
        parent = model.parent(node)
        if isinstance(parent, ast.Attribute) or (
            isinstance(parent, ast.Call) and parent.func is node
        ):
            continue  # a longer chain, or a call (of a subclass, say) that is a site
        if isinstance(parent, ast.ClassDef) or (
            isinstance(parent, ast.Assign)
            and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)
        ):
            continue  # a base class (WSU304's), or an alias whose calls are sites
        qualname = model.qualified_name(node)
        if qualname is not None and qualname.canonical in legacy:
            found.append(node)
    return found


def _imported_legacy_classes(ctx: Context) -> list[str]:
    """The legacy protocol subclasses of other modules of the project
    (``Settings.legacy_classes``) this module imports by name: their instances stay on the
    legacy implementation, whatever this module's fixes do."""
    from lint_plugin.semantic.bindings import imports_from_project

    return [
        alias.name
        for statement in ctx.model.nodes_of(ast.ImportFrom)
        if isinstance(statement, ast.ImportFrom)
        for alias in statement.names
        if imports_from_project(statement, alias, ctx.settings.legacy_classes)
    ]


def _reasons(
    ctx: Context,
    anchors: _Anchors,
    unit: MigrationUnit,
    blockers: list[Diagnostic],
    moved: set[Token],
    roles: dict[int, tuple[str, list[Token]]],
) -> list[str]:
    first = next((s for s in unit.sites if s.legacy), unit.sites[0] if unit.sites else None)
    sites = {id(s.node): s for s in unit.sites}
    reasons = []
    for blocker in blockers:
        what = f"line {blocker.start.line} needs a hand edit ({blocker.code})"
        # The call the blocker belongs to, when it is tied to one.
        tokens = roles.get(id(blocker), ("", []))[1]
        own = [sites[key] for kind, key in tokens if kind == "site" and key in sites]
        site = own[0] if own else first
        if site is not None:
            node = anchors.node_of(blocker)
            where = _call_text(ctx, site)
            passed = _passed(ctx, site, node) if node is not None else None
            if passed is not None:
                argument = ctx.text(passed).split("\n")[0]
                if len(argument) > 40:
                    argument = argument[:37] + "..."
                what = f"{where} passes `{argument}` ({blocker.code} needs a hand edit)"
            else:
                what = (
                    f"{where} depends on line {blocker.start.line} "
                    f"({blocker.code} needs a hand edit)"
                )
        reasons.append(what)
    for legacy_site in unit.sites:
        if legacy_site.legacy and ("site", id(legacy_site.node)) not in moved:
            reasons.append(
                f"{_call_text(ctx, legacy_site)} stays on the legacy implementation "
                "(no selected fix moves it)"
            )
    for cls in unit.classes:
        if ("class", id(cls)) not in moved:
            reasons.append(
                f"`{cls.name}` at line {cls.lineno} stays a legacy protocol subclass "
                "(no selected fix rebases it)"
            )
    return reasons


def _call_text(ctx: Context, site: CallSite) -> str:
    func = site.callee
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "call")
    return f"`{name}()` at line {ctx.start(site.node).line}"


def _passed(ctx: Context, site: CallSite, node: ast.AST) -> ast.AST | None:
    """The argument of ``site`` that ``node`` is in, or that passes the class it is in."""
    model = ctx.model
    lineage = [node, *model.ancestors(node)]
    classes = {id(n) for n in lineage if isinstance(n, ast.ClassDef)}
    arguments: list[ast.expr | ast.keyword] = [*site.node.args, *site.node.keywords]
    for argument in arguments:
        if any(n is argument for n in lineage):
            return argument
        value = argument.value if isinstance(argument, ast.keyword) else argument
        local = model.local_class(value)
        if local is not None and id(local) in classes:
            return argument
    return None


def _held(
    diagnostic: Diagnostic, reasons: list[str], shown: dict[tuple[object, ...], Fix]
) -> Diagnostic:
    """``diagnostic`` held back: its fix only shown, the one in ``shown`` for its title,
    requirement and unit (a dense module holds back tens of thousands of findings)."""
    fix = diagnostic.fix
    assert fix is not None
    key = (fix.title, fix.requires, fix.unit)
    held = shown.get(key)
    if held is None:
        held = shown[key] = fix.replaced(edits=(), applicability=Applicability.DISPLAY_ONLY)
    message = _held_message(diagnostic.message, reasons[0], len(reasons) - 1)
    return diagnostic.replaced(message=message, fix=held)


#: How a held-back finding's message says why, before the reason.
HELD = " (not migrated: "


@functools.lru_cache(maxsize=4096)
def _held_message(message: str, reason: str, others: int) -> str:
    # Cached: one copy for the many findings a unit holds back with the same message.
    more = f"; and {others} more" if others else ""
    return f"{message}{HELD}{reason}{more})"


def _fitting(unit: MigrationUnit) -> tuple[tuple[Edit, ...] | None, list[Diagnostic]]:
    """The unit's edits, and the switch fixes they include.

    Switch fixes that overlap (two names moved out of one import statement) cannot be
    applied in one pass: those left out keep their own fix, which conflicts with the unit's
    edits, so they are applied by the next pass, once the re-lint has seen this one.
    """
    edits = _merged_edits(unit.members)
    if edits is None:
        return None, unit.switches
    included: list[Diagnostic] = []
    for switch in unit.switches:
        merged = _merged_edits([*unit.members, *included, switch])
        if merged is not None:
            included.append(switch)
            edits = merged
    return (edits if included or not unit.switches else None), included


def _merged_edits(diagnostics: list[Diagnostic]) -> tuple[Edit, ...] | None:
    """Every edit of the unit once; insertions at one place joined; ``None`` on overlap."""
    unique: dict[Edit, None] = {}
    for diagnostic in diagnostics:
        assert diagnostic.fix is not None
        unique.update(dict.fromkeys(diagnostic.fix.edits))
    edits = sorted(unique, key=lambda e: (e.start, e.end))
    merged: list[Edit] = []
    for edit in edits:
        if merged and edit.start < merged[-1].end:
            return None
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.start == previous.end == edit.start == edit.end
            and edit.content not in previous.content
        ):
            merged[-1] = Edit.insertion(edit.start, previous.content + edit.content)
        elif not (
            previous is not None and previous.start == previous.end == edit.start == edit.end
        ):
            merged.append(edit)
    return tuple(merged)


def held_by_noqa(kept: list[Diagnostic], suppressed: list[Diagnostic]) -> list[Diagnostic]:
    """Hold back the units a ``noqa`` comment keeps one member of from being applied."""
    reasons: dict[str, str] = {}
    for diagnostic in suppressed:
        fix = diagnostic.fix
        if fix is not None and fix.unit is not None:
            reasons.setdefault(
                fix.unit,
                f"{diagnostic.code} at line {diagnostic.start.line} is suppressed by `noqa`",
            )
    if not reasons:
        return kept
    shown: dict[tuple[object, ...], Fix] = {}
    return [
        _held(d, [reasons[d.fix.unit]], shown) if d.fix is not None and d.fix.unit in reasons else d
        for d in kept
    ]
