"""What a rule's check receives: the semantic model plus helpers to report and fix."""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from functools import cached_property

from lint_plugin.backports import add_alias_positions
from lint_plugin.docstrings import is_docstring
from lint_plugin.model import Applicability, Diagnostic, Edit, EditsBuilder, Fix, Position
from lint_plugin.semantic import QualifiedName, SemanticModel
from lint_plugin.semantic.project import ProjectIndex
from lint_plugin.semantic.syntax import IMPORT_ERRORS, TRY_NODES, caught_names
from lint_plugin.settings import Settings
from lint_plugin.spec import RuleSpec

_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


# The slots' descriptors, read from the class's namespace (mypy sees instance fields).
_set_line = vars(Position)["line"].__set__
_set_column = vars(Position)["column"].__set__
_set_content = vars(Edit)["content"].__set__


def _position(line: int, column: int) -> Position:
    """``Position(line, column)`` without the frozen dataclass's ``__init__`` (twice as
    slow: it sets each field through ``object.__setattr__``); rules make ~10 per finding."""
    position = object.__new__(Position)
    _set_line(position, line)
    _set_column(position, column)
    return position


class Context:
    def __init__(
        self,
        tree: ast.Module,
        source: str,
        settings: Settings,
        *,
        project: ProjectIndex | None = None,
        module_name: str | None = None,
    ) -> None:
        self.tree = tree
        self.source = source
        self.settings = settings
        # Python's own line breaks only (str.splitlines also breaks on \f, \x1c, ...).
        self.lines: list[str] = _LINE_RE.findall(source)
        self.ascii = source.isascii()
        """Byte columns are code-point columns: positions need no per-line check."""
        add_alias_positions(tree, self.lines)
        self.model = SemanticModel(tree, source, settings, project=project, module_name=module_name)
        self.reported: dict[tuple[int, int, int, int], ast.AST] = {}
        """The node a diagnostic starts at, by the diagnostic's range (ASCII modules):
        ``units`` finds the node of a diagnostic from it without indexing the module."""
        self.cache: dict[str, object] = {}
        """Facts several rules share, computed once per file."""
        self._positions: dict[tuple[int, int], Position] = {}
        """One object per position (ASCII modules): a finding's start is often its fix's,
        and its statement's; the findings of a dense module hold a few hundred thousand."""
        self._lines: dict[int, int] = {}
        self._binds: dict[str, bool] = {}
        self._texts: dict[str, str] = {}
        """One copy of each message, fix title and edit text: a dense module repeats a
        few hundred of them a few hundred thousand times."""

    @property
    def target_version(self) -> tuple[int, ...]:
        return self.settings.target_version

    # Positions -------------------------------------------------------------------
    def position(self, line: int, byte_col: int) -> Position:
        """ast columns are UTF-8 byte offsets; diagnostics use code points."""
        if self.ascii:
            key = (line, byte_col)
            position = self._positions.get(key)
            if position is None:
                # One int per line too: above 256 each node's ``lineno`` is its own object.
                line = self._lines.setdefault(line, line)
                position = self._positions[key] = _position(line, byte_col)
            return position
        if 1 <= line <= len(self.lines):
            text = self.lines[line - 1]
            if not text.isascii():
                byte_col = len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))
        return Position(line, byte_col)

    def start(self, node: ast.AST) -> Position:
        return self.position(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> Position:
        return self.position(
            node.end_lineno or node.lineno,  # type: ignore[attr-defined]
            node.end_col_offset or 0,  # type: ignore[attr-defined]
        )

    def text(self, node: ast.AST) -> str:
        """The node's source text (``ast.get_source_segment`` without re-splitting the file)."""
        return self.text_between(self.start(node), self.end(node))

    def is_parenthesized(self, node: ast.AST) -> bool:
        """Is ``node`` written inside its own parentheses, ``( node )``?"""
        start, end = self.start(node), self.end(node)
        before = self.lines[start.line - 1][: start.column].rstrip()
        after = self.lines[end.line - 1][end.column :].lstrip()
        if not (before.endswith("(") and after.startswith(")")):
            return False
        # ``f(node)``: those parentheses are the call's.
        parent = self.model.parent(node)
        if isinstance(parent, ast.Call) and len(parent.args) + len(parent.keywords) == 1:
            return parent.func is node or not (
                self.end(parent.func).line == start.line
                and self.end(parent.func).column == len(before) - 1
            )
        return not isinstance(parent, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))

    def text_between(self, start: Position, end: Position) -> str:
        if start.line == end.line:
            return self.lines[start.line - 1][start.column : end.column]
        first = self.lines[start.line - 1][start.column :]
        return "".join(
            [first, *self.lines[start.line : end.line - 1], self.lines[end.line - 1][: end.column]]
        )

    def replace(self, node: ast.AST, content: str) -> Edit:
        return Edit(self.start(node), self.end(node), content)

    # Reporting -------------------------------------------------------------------
    def diagnostic(
        self,
        spec: RuleSpec,
        node: ast.AST,
        message: str,
        *,
        fix_title: str | None = None,
        edits: Sequence[Edit] | EditsBuilder = (),
        applicability: Applicability | None = None,
        end_node: ast.AST | None = None,
        edits_within: ast.AST | None = None,
    ) -> Diagnostic:
        """Build a diagnostic; ``applicability`` without edits makes a display-only hint.

        ``edits`` may be what builds them, when first read (``Fix.deferred``), inside
        ``edits_within`` when given."""
        texts = self._texts
        title = fix_title or spec.fix_title
        if title is not None:
            title = texts.setdefault(title, title)
        message = texts.setdefault(message, message)
        fix = None
        if applicability is not None and self._rebound_root is not None and edits:
            # ``import x.pyodide_websockets as websockets`` beside ``import websockets``:
            # which module the code runs on is decided at run time, no rewrite fits both.
            edits = ()
            if title is not None:
                title = f"{title} (not applied: `{self._rebound_root}` is also imported here)"
        if applicability is not None and self.model.star_imports:
            # Which names a star import of websockets binds depends on the version installed:
            # no rewrite around one can be checked, so every fix is a hint.
            edits = ()
            if title is not None:
                module = self.model.star_imports[0].statement.module
                title = f"{title} (not applied next to `from {module} import *`)"
        if applicability is not None:
            if callable(edits):
                within = None
                if edits_within is not None:
                    within = (self.start(edits_within), self.end(edits_within))
                fix = Fix.deferred(edits, applicability, title, within=within)
            else:
                if not edits:
                    applicability = Applicability.DISPLAY_ONLY
                for edit in edits:
                    # One copy of each text: a dense module's fixes repeat a few hundred.
                    _set_content(edit, texts.setdefault(edit.content, edit.content))
                fix = Fix(tuple(edits), applicability, title)
        start, end = self.start(node), self.end(end_node or node)
        if self.ascii:
            self.reported[(start.line, start.column, end.line, end.column)] = node
        parent = self.start(self.statement_of(node))
        return Diagnostic(spec.code, spec.name, message, start, end, title, fix, parent)

    def statement_of(self, node: ast.AST) -> ast.AST:
        parents = self.model.parents
        current: ast.AST = node
        while not isinstance(current, ast.stmt):
            parent = parents.get(id(current))
            if parent is None:
                return current
            current = parent
        return current

    def is_compat(self, diagnostic: Diagnostic) -> bool:
        """Compatibility regions are whole statements, so lines are exact enough."""
        line = diagnostic.start.line
        return any(start[0] <= line <= end[0] for start, end in self.model.compat_regions)

    # Whole-tree indexes (built once: rules asking per finding stay linear) ------------
    @cached_property
    def nodes(self) -> list[ast.AST]:
        """Every node of the module, in ``ast.walk`` order."""
        return self.model.nodes

    @cached_property
    def _names_by_id(self) -> dict[str, list[ast.Name]]:
        index: dict[str, list[ast.Name]] = {}
        for node in self.model.nodes_of(ast.Name):
            if isinstance(node, ast.Name):
                index.setdefault(node.id, []).append(node)
        return index

    def names_with_id(self, name: str) -> list[ast.Name]:
        """Every ``ast.Name`` spelled ``name`` in the module, in ``ast.walk`` order."""
        return self._names_by_id.get(name, [])

    def used_names(
        self, defs: tuple[type[ast.AST], ...] = (), *, top_level: bool = False
    ) -> frozenset[str]:
        """Every ``ast.Name`` id, plus the names of the ``defs`` nodes (only the module's own
        when ``top_level``): the names a generated one must not take."""
        key = f"used_names:{[d.__name__ for d in defs]}:{top_level}"
        found = self.cache.get(key)
        if found is None:
            found = frozenset(self._names_by_id).union(
                node.name  # type: ignore[attr-defined]
                for node in (self.model.nodes_of(*defs) if defs else ())
                if not top_level or self.model.parent(node) is self.tree
            )
            self.cache[key] = found
        assert isinstance(found, frozenset)
        return found

    # Names -------------------------------------------------------------------------
    @cached_property
    def default_root(self) -> str:
        """The target module this file imports first (for imports a fix adds)."""
        for node in self.model.nodes_of(ast.Import, ast.ImportFrom):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    root = alias.name.split(".")[0]
                    if root in self.settings.modules:
                        return root
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                root = node.module.split(".")[0]
                if root in self.settings.modules:
                    return root
        return self.settings.modules[0]

    def qualified_name(self, node: ast.AST) -> QualifiedName | None:
        return self.model.qualified_name(node)

    def import_edit(self, module: str, name: str) -> tuple[str, Edit | None] | None:
        """Make ``name`` from ``module`` (a path relative to the package) available.

        Reuses an existing top-level ``from module import name``; else adds ``name`` to an
        existing top-level ``from module import ...``; else inserts an import after the
        module's last top-level websockets import. Returns the name to use, or ``None``
        when ``name`` already means something else here (an import would shadow it).
        """
        full = f"{self.default_root}.{module}"
        wanted = self.model.canonical(full)
        if wanted is not None:
            existing = self._imported_names.get(f"{wanted.canonical}.{name}")
            if existing is not None:
                return existing, None
        if self.binds(name):
            return None
        stmt = self._from_imports.get(wanted.canonical) if wanted is not None else None
        if stmt is not None:
            return name, Edit.insertion(self.end(stmt.names[-1]), f", {name}")
        return name, self.import_insertion(f"from {full} import {name}")

    def import_insertion(self, statement: str) -> Edit:
        """Insert the import ``statement`` where new websockets imports go
        (``import_insertion_line``); in a module that imports websockets only in a ``try``
        handling ``ImportError`` (an optional dependency), right after that import, inside
        the ``try``: the guard must still cover it."""
        guarded = self._guarded_import
        if guarded is None:
            return Edit.insertion(Position(self.import_insertion_line(), 0), f"{statement}\n")
        return insertion_after(guarded, statement)

    def starts_its_line(self, stmt: ast.stmt) -> bool:
        """Whether nothing precedes ``stmt`` on its first line (not ``try: import x``): a
        statement can be inserted after it with its indentation."""
        return not self.lines[stmt.lineno - 1][: stmt.col_offset].strip()

    @cached_property
    def _rebound_root(self) -> str | None:
        """A module other than websockets imported under the name websockets is imported
        under (``import aiocoap.util.pyodide_websockets as websockets`` on Pyodide)."""
        for binding in self.model.module_scope.bindings.get(self.default_root, ()):
            imported = binding.imported
            is_other = (
                imported is not None and imported.partition(".")[0] not in self.settings.modules
            )
            if binding.kind == "import" and is_other:
                return imported
        return None

    @cached_property
    def _guarded_import(self) -> ast.stmt | None:
        """The last websockets import (on a line of its own) of a top-level ``try`` handling
        ``ImportError``, in its body, or in one of its ``ImportError`` handlers or its
        ``else`` (``try: import js / except ImportError: import websockets``: websockets is
        absent under Pyodide), when no top-level statement imports websockets unguarded and
        the ``try`` imports it in one block only (in several, it is imported either way)."""
        found = None
        for stmt in self.leading_statements():
            if isinstance(stmt, (ast.Import, ast.ImportFrom)) and self._imports_target(stmt):
                return None
            if not isinstance(stmt, TRY_NODES):
                continue
            handlers = [
                handler.body
                for handler in stmt.handlers  # type: ignore[attr-defined]
                if caught_names(handler.type) & IMPORT_ERRORS
            ]
            if not handlers:
                continue
            blocks = [stmt.body, *handlers, stmt.orelse]  # type: ignore[attr-defined]
            importing = [imports for block in blocks if (imports := self._target_imports(block))]
            if len(importing) > 1:
                return None
            if importing:
                found = importing[0][-1]
        return found

    def _target_imports(self, block: list[ast.stmt]) -> list[ast.stmt]:
        return [
            inner
            for inner in block
            if isinstance(inner, (ast.Import, ast.ImportFrom))
            and self._imports_target(inner)
            and self.starts_its_line(inner)
        ]

    @cached_property
    def _imported_names(self) -> dict[str, str]:
        """Canonical name -> the first module-level import binding that names it."""
        found: dict[str, str] = {}
        for binding_list in self.model.module_scope.bindings.values():
            for binding in binding_list:
                if binding.kind != "import" or binding.imported is None:
                    continue
                qualname = self.model.canonical(binding.imported)
                if qualname is not None:
                    found.setdefault(qualname.canonical, binding.name)
        return found

    @cached_property
    def _from_imports(self) -> dict[str, ast.ImportFrom]:
        """Canonical module -> the module's first top-level ``from module import names``."""
        found: dict[str, ast.ImportFrom] = {}
        for stmt in self.tree.body:
            if (
                isinstance(stmt, ast.ImportFrom)
                and stmt.module
                and not stmt.level
                and (module := self.model.canonical(stmt.module)) is not None
                and stmt.names[0].name != "*"
            ):
                found.setdefault(module.canonical, stmt)
        return found

    def binds(self, name: str) -> bool:
        """``model.binds`` remembered per name: rules ask it once per finding."""
        known = self._binds.get(name)
        if known is None:
            known = self._binds[name] = self.model.binds(name)
        return known

    def leading_statements(self) -> list[ast.stmt]:
        """The module's statements from the first, as far as its leading imports may go."""
        return self.tree.body

    def import_insertion_line(self) -> int:
        """Where a new websockets import goes: after the module's last top-level websockets
        import (keeping the third-party group together), else after the leading imports."""
        last = last_target = 0
        for index, stmt in enumerate(self.leading_statements()):
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                last = stmt.end_lineno or stmt.lineno
                if self._imports_target(stmt):
                    last_target = last
            elif index == 0 and is_docstring(stmt):
                last = stmt.end_lineno or stmt.lineno
            elif last:
                break
        return (last_target or last) + 1

    def _imports_target(self, stmt: ast.Import | ast.ImportFrom) -> bool:
        if isinstance(stmt, ast.Import):
            return any(alias.name.split(".")[0] in self.settings.modules for alias in stmt.names)
        return (
            bool(stmt.module)
            and not stmt.level
            and ((stmt.module or "").split(".")[0] in self.settings.modules)
        )


def insertion_after(stmt: ast.stmt, statement: str) -> Edit:
    """Insert ``statement`` on the line after ``stmt``, in its block (its indentation)."""
    line = (stmt.end_lineno or stmt.lineno) + 1
    return Edit.insertion(Position(line, 0), f"{' ' * stmt.col_offset}{statement}\n")
