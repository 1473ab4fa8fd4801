"""The plan of a module checked in segments (``lint_plugin.segments``): which top-level
statements each segment holds.

- A line scan splits the source into top-level statements (column-0 lines outside
  brackets, strings and continuations; decorators stay with their ``def``).
- Statements are grouped into components by the top-level names they bind (a function's
  ``global`` names too) and mention (an identifier scan: a name in a string or comment
  counts too). Imports, the docstring and small statements that depend on nothing else
  form the *prelude*, repeated in every segment; all other module-level code is one
  component. A module-level collection only added to (``CLIENTS.add(websocket)``) ties
  its users together only when one of them reads it. Components are packed into segments
  of about ``budget`` characters.
- The statements using one of the *linked* names (imports whose finding depends on their
  uses) go in one segment, whose finding is the module's.

A module that cannot be planned raises :class:`Undecidable` (or the ``SyntaxError`` of a
statement): star imports, lone ``\\r`` line ends, a module-level import of a target module
that is not in the prelude, a later import after a statement not in every segment, no
top-level import of a target module.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field

from lint_plugin.docstrings import is_docstring
from lint_plugin.engine import mentions_target

#: Statements longer than this do not go in the prelude (it is repeated in every segment).
PRELUDE_STATEMENT = 2_000

# Comments and string literals, as the tokenizer reads them (an f-string nesting its own
# quotes, Python 3.12+, may be cut wrong: its segment then fails to parse). A string's
# prefix (``rb``) is left out, a letter like any: every alternative then starts with one
# character the search skips to, and the unrolled loops read each character once.
_OPAQUE = re.compile(
    r"""\#[^\n]*"""
    r"""|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"""
    r'''|"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'''
    r"""|'[^'\\\n]*(?:\\.[^'\\\n]*)*'"""
    r'''|"[^"\\\n]*(?:\\.[^"\\\n]*)*"''',
    re.DOTALL,
)
# A line starting with neither a blank nor a comment, the first one's aside (a ``^`` is
# tried everywhere).
_LINE_START = re.compile(r"\n(?=[^\s#])")
_CODE = re.compile(r"[^\s#]")
# What a comment or string hides from the search for statements.
_HIDDEN = re.compile(r"[()\[\]{}\n]")
_CLAUSE = re.compile(r"(?:else|elif|except|finally)\b")
_DEF = re.compile(r"(?:async[ \t]+)?def[ \t]+(\w+)|class[ \t]+(\w+)")
_IDENTIFIER = re.compile(r"[^\W\d]\w*")
# The same on an ASCII text, about twice as fast.
_ASCII_IDENTIFIER = re.compile(r"[A-Za-z_]\w*", re.ASCII)
# Star imports, lone ``\r`` line ends: each searched only when a plain substring test
# finds a candidate (a regular expression over 10 MB is slow).
_STAR = re.compile(r"import[ \t(\\\n]*\*")
_LONE_CR = re.compile(r"\r(?!\n)")
_IMPORT = re.compile(r"\bimport\b")
_MATCH_CAPTURES = ("MatchAs", "MatchStar", "MatchMapping")
_WRITES = r"\.(?:add|append|appendleft|insert|discard|remove)\("


class Undecidable(Exception):
    """This module is checked whole."""


class Chunk:
    """One top-level statement (a decorated def with its decorators) as a span of whole
    lines. Slotted, its sets shared when empty: a dense 10 MB module has ~29,000."""

    __slots__ = ("binds", "end", "imports", "kinds", "lines", "name", "nested_import", "start")

    def __init__(self, start: int, end: int, lines: int) -> None:
        self.start = start
        self.end = end
        self.lines = lines
        self.name: str | None = None
        """The name a ``def`` / ``class`` binds; ``None`` for other statements (parsed)."""
        self.binds: Collection[str] = ()
        self.kinds: tuple[str, ...] = ()
        """``import``, ``doc`` (the module's docstring) or ``other``, per statement."""
        self.imports = False
        """Only import statements."""
        self.nested_import = False
        """A module-level import in another statement, in a text mentioning a target module."""


def _names(found: set[str]) -> Collection[str]:
    # A set of one name takes 216 bytes, a tuple 48; a long tuple would be slow to search.
    return tuple(found) if len(found) <= 8 else frozenset(found)


def statements(source: str) -> list[Chunk]:
    """The top-level statements, as spans of whole lines; decorators go with their def."""
    starts = _statement_starts(source)
    merged = [s for i, s in enumerate(starts) if i == 0 or source[starts[i - 1]] != "@"]
    bounds = [*merged, len(source)]
    return [
        Chunk(start, end, source.count("\n", start, end))
        for start, end in zip(bounds, bounds[1:])
        if start < end
    ]


def _statement_starts(source: str) -> list[int]:
    """Where the top-level statements start, 0 first (a decorator as a statement): lines
    starting at column 0 outside brackets, comments and strings, not continuing the line
    before."""
    starts: list[int] = []
    depth = 0
    last = 0
    for at, hidden in _line_starts(source):
        depth += _brackets(source, last, at) - hidden
        last = at
        continued = source.endswith(("\\\n", "\\\r\n"), 0, at)
        if depth <= 0 and not continued and not _CLAUSE.match(source, at):
            starts.append(at)
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    return starts


def _line_starts(source: str) -> Iterator[tuple[int, int]]:
    """Where lines starting with code or a string start, outside strings, with the
    brackets (``_brackets``) in the comments and strings since the one before."""
    spans = _hiding(source)
    spans.reverse()  # popped in order
    hidden = 0
    for at in _candidates(source):
        while spans and spans[-1][1] <= at:
            hidden += _brackets(source, *spans.pop())
        if spans and spans[-1][0] < at:
            continue  # in a string
        yield at, hidden
        hidden = 0


def _candidates(source: str) -> Iterator[int]:
    """Where lines starting with neither a blank nor a comment start."""
    if _CODE.match(source):
        yield 0
    for match in _LINE_START.finditer(source):
        yield match.end()


def _hiding(source: str) -> list[tuple[int, int]]:
    """The comments and strings holding a bracket or a line end (most hold none: no copy
    of the source with them blanked is made)."""
    search = _HIDDEN.search
    spans = (match.span() for match in _OPAQUE.finditer(source))
    return [(start, end) for start, end in spans if search(source, start, end)]


def _brackets(source: str, start: int, end: int) -> int:
    """Opening less closing brackets in ``source[start:end]``."""
    count = source.count
    opening = count("(", start, end) + count("[", start, end) + count("{", start, end)
    return opening - count(")", start, end) - count("]", start, end) - count("}", start, end)


def _bound_names(tree: ast.Module) -> tuple[set[str], bool]:
    """Every name the statements bind in any scope (more than the module's), and whether
    one is an import at module level."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            found.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, ast.alias):
            found.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.Global):
            found.update(node.names)
        elif isinstance(node, ast.ExceptHandler) or type(node).__name__ in _MATCH_CAPTURES:
            # ``match`` patterns are not in Python 3.9's ``ast``.
            name = getattr(node, "name", None) or getattr(node, "rest", None)
            if name:
                found.add(name)
    return found, _imports_at_module_level(tree.body)


def _imports_at_module_level(statements: list[ast.stmt]) -> bool:
    for stmt in statements:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            return True
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        blocks = [getattr(stmt, name, []) for name in ("body", "orelse", "finalbody")]
        blocks += [handler.body for handler in getattr(stmt, "handlers", [])]
        blocks += [case.body for case in getattr(stmt, "cases", [])]
        if any(_imports_at_module_level(block) for block in blocks):
            return True
    return False


def _kind(stmt: ast.stmt, first: bool) -> str:
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return "import"
    if first and is_docstring(stmt):
        return "doc"
    return "other"


def _identifiers(text: str, wanted: dict[str, str]) -> tuple[str, ...]:
    """The ``wanted`` names in ``text`` (its strings and comments too), once each: a tuple
    (a third of a set's size) of ``wanted``'s strings (not as many copies)."""
    if text.isascii():
        found = wanted.keys() & _ASCII_IDENTIFIER.findall(text)
    else:
        names = set(_IDENTIFIER.findall(text))
        # The parser normalises identifiers (NFKC).
        names |= {unicodedata.normalize("NFKC", name) for name in names}
        found = wanted.keys() & names
    return tuple(map(wanted.__getitem__, found))


@dataclass
class Plan:
    chunks: list[Chunk]
    prelude: list[int]
    segments: list[list[int]]
    """Chunk indexes of each segment, the prelude included, in order."""
    owners: dict[int, int] = field(default_factory=dict)
    """Prelude imports whose names are ``linked``: the segment holding every use."""
    leading_stop: int | None = None
    """The statement (not in every segment) where the module's leading imports stop,
    when prelude imports follow it: ``Context.import_insertion_line`` stops there in
    every segment (``_leading_stop``)."""


def plan(
    source: str,
    modules: tuple[str, ...],
    linked: frozenset[str] = frozenset(),
    *,
    budget: int,
) -> Plan:
    """Split ``source`` into segments of about ``budget`` characters (raises
    ``Undecidable``). The statements using one of the ``linked`` names go in one
    segment."""
    if "\r" in source and _LONE_CR.search(source):
        raise Undecidable
    chunks = statements(source)
    if "*" in source and _star_import(source, chunks, modules):
        raise Undecidable
    binders: dict[str, list[int]] = {}
    for index, chunk in enumerate(chunks):
        _read(chunk, source[chunk.start : chunk.end], index == 0, modules)
        for name in chunk.binds:
            binders.setdefault(name, []).append(index)
    # The other names change nothing: not kept, 27k sets of them took ~100 MB at 10 MB.
    wanted = {name: name for names in (binders, linked) for name in names}
    refs = [_identifiers(source[chunk.start : chunk.end], wanted) for chunk in chunks]

    prelude = _prelude(source, chunks, refs, binders, modules)
    parent = list(range(len(chunks)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(indexes: Iterable[int]) -> None:
        roots = [find(i) for i in indexes]
        for root in roots[1:]:
            parent[find(root)] = find(roots[0])

    assigned = {
        name for index in prelude if not chunks[index].imports for name in chunks[index].binds
    }
    users: dict[str, list[int]] = {}
    read: set[str] = set()
    tied: list[int] = []
    union(i for i, c in enumerate(chunks) if c.name is None and i not in prelude)
    mentions = {name: re.compile(rf"\b{re.escape(name)}\b") for name in assigned}
    writes = {name: re.compile(rf"\b{re.escape(name)}{_WRITES}") for name in assigned}
    for index, names in enumerate(refs):
        if index in prelude:
            continue
        chunk = chunks[index]
        for name in assigned.intersection(names):
            users.setdefault(name, []).append(index)
            found = _count(mentions[name], name, source, chunk.start, chunk.end)
            if found != _count(writes[name], name, source, chunk.start, chunk.end):
                read.add(name)
        # With the other statements binding a name it uses (a copy of ``binders`` without
        # the prelude took 30 MB for a module of 260,000 small statements).
        union([index, *(i for name in names for i in binders.get(name, ()) if i not in prelude)])
        if not linked.isdisjoint(names):
            tied.append(index)
    for name in read:
        union(users[name])
    # One component for all of them: an import binding two names sees the uses of both.
    union(tied)

    # The components in the order of their first statements, each one's statements in
    # order; arrays by root, not a list per component (260,000 small statements made as
    # many lists and dictionary entries).
    roots = array("q", (find(index) for index in range(len(chunks))))
    rank = array("q", [-1]) * len(chunks)
    sizes = array("q", [0]) * len(chunks)
    count = 0
    for index, root in enumerate(roots):
        if index not in prelude:
            if rank[root] < 0:
                rank[root], count = count, count + 1
            sizes[root] += chunks[index].end - chunks[index].start
    order = sorted(
        (index for index in range(len(chunks)) if index not in prelude),
        key=lambda index: rank[roots[index]],
    )
    segments: list[list[int]] = []
    current: list[int] = []
    size = 0
    for at, index in enumerate(order):
        current.append(index)
        root = roots[index]
        if at + 1 < len(order) and roots[order[at + 1]] == root:
            continue  # the component goes on
        size += sizes[root]
        if size >= budget:
            segments.append(sorted([*prelude, *current]))
            current, size = [], 0
    if current and segments and size < budget // 2:
        # A remnant joins the last segment: a few statements are likelier to use none of an
        # import's names, whose finding there then differs from the other segments' (and
        # the module is planned again with every use of those names in one segment).
        segments[-1] = sorted([*segments[-1], *current])
    elif current or not segments:
        segments.append(sorted([*prelude, *current]))
    owners = {}
    if tied:
        owner = next(k for k, segment in enumerate(segments) if tied[0] in segment)
        owners = {i: owner for i in prelude if linked.intersection(chunks[i].binds)}
    return Plan(chunks, sorted(prelude), segments, owners, _leading_stop(chunks, prelude))


def _count(pattern: re.Pattern[str], name: str, source: str, start: int, end: int) -> int:
    """``len(pattern.findall(source, start, end))``, for a ``pattern`` matching ``name``
    after a ``\\b``: tried only where ``name`` is (the ``\\b`` keeps the search from
    skipping to it, ~5x slower)."""
    found = 0
    at = source.find(name, start, end)
    while at >= 0:
        match = pattern.match(source, at, end)
        if match is None:
            at += 1
        else:
            found += 1
            at = match.end()
        at = source.find(name, at, end)
    return found


def _read(chunk: Chunk, text: str, first: bool, modules: tuple[str, ...]) -> None:
    """Set what ``chunk`` (``text``) binds, and its kinds of statements unless a def."""
    header = _DEF.match(text, text.rfind("\n", 0, _def_line(text)) + 1)
    if header is not None and ":=" not in text:
        chunk.name = header.group(1) or header.group(2)
        chunk.binds = (chunk.name,)
        if "global" in text:
            # A function assigning a module-level name binds it too.
            chunk.binds = _names(
                {
                    chunk.name,
                    *(
                        name
                        for node in ast.walk(ast.parse(text))
                        if isinstance(node, ast.Global)
                        for name in node.names
                    ),
                }
            )
    else:
        tree = ast.parse(text)  # a SyntaxError: the module is checked whole
        binds, imports = _bound_names(tree)
        chunk.binds = _names(binds)
        chunk.kinds = tuple(_kind(stmt, first and i == 0) for i, stmt in enumerate(tree.body))
        chunk.imports = bool(chunk.kinds) and all(k == "import" for k in chunk.kinds)
        # Other modules' imports are bindings like any: the context reads the targets'.
        chunk.nested_import = imports and not chunk.imports and mentions_target(text, modules)


def _star_import(source: str, chunks: list[Chunk], modules: tuple[str, ...]) -> bool:
    """Whether a statement imports ``*`` from a target module or a relative one (the names
    it binds are known only to the whole check), or may (it does not parse alone). Another
    module's names are not the rules' concern, and the statement is in every segment's
    prelude. The text ``import *`` in a string or a comment is no import: a 10 MB module
    with either was checked whole, in 1.3-1.9 GB."""
    return any(
        tree is None
        or any(
            isinstance(node, ast.ImportFrom)
            and any(alias.name == "*" for alias in node.names)
            and (node.level or mentions_target(node.module or "", modules))
            for node in ast.walk(tree)
        )
        for tree in parsed_matching(source, chunks, _STAR)
    )


def parsed_matching(
    source: str, chunks: list[Chunk], pattern: re.Pattern[str]
) -> Iterator[ast.Module | None]:
    """The tree of each statement of ``chunks`` holding a match of ``pattern``, once each
    and in order; ``None`` for one that does not parse alone."""
    starts = [chunk.start for chunk in chunks]
    read: set[int] = set()
    for match in pattern.finditer(source):
        index = bisect_right(starts, match.start()) - 1
        if index in read:
            continue
        read.add(index)
        chunk = chunks[index]
        try:
            yield ast.parse(source[chunk.start : chunk.end])
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            yield None


def _def_line(text: str) -> int:
    """Where a decorated def's own line starts in its chunk (0 if undecorated)."""
    if not text.startswith("@"):
        return 0
    header = re.search(r"^(?:async[ \t]+def|def|class)\b", text, re.MULTILINE)
    return header.start() if header is not None else 0


def _prelude(
    source: str,
    chunks: list[Chunk],
    refs: list[tuple[str, ...]],
    binders: dict[str, list[int]],
    modules: tuple[str, ...],
) -> set[int]:
    """Imports, the docstring and small statements depending only on imports and on
    names they bind themselves."""
    prelude = {i for i, c in enumerate(chunks) if c.imports}
    candidates = {
        i
        for i, c in enumerate(chunks)
        if c.name is None
        and not c.imports
        and (c.end - c.start <= PRELUDE_STATEMENT or c.kinds[:1] == ("doc",))
    }
    imported = {name for i in prelude for name in chunks[i].binds}
    changed = True
    while changed:
        changed = False
        for index in sorted(candidates):
            own = chunks[index].binds
            for name in refs[index]:
                if name in own:
                    continue
                if name in binders and not (
                    name in imported and all(i in prelude for i in binders[name])
                ):
                    candidates.discard(index)
                    changed = True
                    break
            else:
                if any(i not in candidates and i not in prelude for n in own for i in binders[n]):
                    candidates.discard(index)
                    changed = True
    prelude |= candidates
    if any(chunk.nested_import and i not in prelude for i, chunk in enumerate(chunks)):
        raise Undecidable  # a module-level import in a statement every segment needs
    if not any(
        chunks[i].imports and mentions_target(source[chunks[i].start : chunks[i].end], modules)
        for i in prelude
    ) and _import_roots(source, chunks, modules) - {modules[0]}:
        # The root a fix imports from is the first target import's (``default_root``),
        # one every segment sees only in the prelude; ``modules[0]`` without one.
        raise Undecidable
    return prelude


def _import_roots(source: str, chunks: list[Chunk], modules: tuple[str, ...]) -> set[str]:
    """The target modules imported anywhere (``?`` for a statement that does not parse)."""
    roots: set[str] = set()
    for tree in parsed_matching(source, chunks, _IMPORT):
        if tree is None:
            roots.add("?")
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                roots.add(node.module.split(".")[0])
    return roots & {*modules, "?"}


def _leading_stop(chunks: list[Chunk], prelude: set[int]) -> int | None:
    """Where ``Context.import_insertion_line`` stops in the whole module (the first
    statement after the leading imports), if a segment without it would read on through
    later prelude imports; raises ``Undecidable`` when that statement shares its line with
    an import (a segment stops at lines)."""
    seen_import = False
    for index, chunk in enumerate(chunks):
        for position, kind in enumerate(chunk.kinds or ("other",)):
            if kind != "other":
                seen_import = True
            elif seen_import:
                if index in prelude or not any(
                    c.imports and i in prelude for i, c in enumerate(chunks) if i > index
                ):
                    return None  # every segment stops there, or reads no import after it
                if position:
                    raise Undecidable
                return index
    return None
