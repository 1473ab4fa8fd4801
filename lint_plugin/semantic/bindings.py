"""Names and imports: which binding a name refers to and what websockets object it names.

The bottom layer of the semantic model: the scope table, parent links, and the qualified
name of an expression through every import form, alias and import fallback.
"""

from __future__ import annotations

import ast
import builtins
import weakref
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lint_plugin import names
from lint_plugin.astwalk import walk
from lint_plugin.scopes import Binding, Scope, ScopeBuilder, lookup
from lint_plugin.semantic.syntax import (
    FUNCTION_NODES,
    IMPORT_ERRORS,
    TRY_NODES,
    FunctionNode,
    caught_names,
)
from lint_plugin.settings import Settings

_MAX_ALIAS_DEPTH = 8
#: A name a star import could bind shadows these too, but no websockets module exports one.
_BUILTINS = frozenset(dir(builtins))


@dataclass(frozen=True)
class QualifiedName:
    canonical: str
    """With the target module replaced by ``websockets``."""
    root: str
    """The target module the code imported (``websockets`` or ``websockets_impl``)."""

    @property
    def display(self) -> str:
        """The canonical name spelled with the user's root module."""
        return self.root + self.canonical[len(names.ROOT) :]

    def render(self, path: str) -> str:
        """A path relative to the package, rendered with the user's root module."""
        return f"{self.root}.{path}" if path else self.root


def imports_from_project(
    statement: ast.ImportFrom, alias: ast.alias, found: Iterable[tuple[str, ...]]
) -> bool:
    """``from M import alias`` names one of the project's (module, name, ...) ``found``
    (``Settings.legacy_classes``, ``module_reexports``); a relative import names its
    module by its end."""
    wanted = statement.module or ""
    return any(
        name == alias.name
        and (module.endswith(f".{wanted}") if statement.level else module == wanted)
        for module, name, *_ in found
    )


@dataclass(frozen=True)
class StarImport:
    """``from websockets.X import *``: which names it binds depends on the version."""

    statement: ast.ImportFrom
    root: str
    """The target module as written (``websockets``)."""
    path: str
    """The module's canonical path without the root: ``legacy.server``."""


#: The attribute of a tree holding the ``Structure`` an earlier model left for the next.
_STRUCTURE = "_wsu_structure"


@dataclass(frozen=True)
class Structure:
    """What a model builds from the tree alone, whatever the settings: its nodes and
    scopes. Nothing changes them once built, so a second model of the same tree (``wsu
    check``'s project pre-pass, then the file's check) can take them over."""

    nodes: list[ast.AST]
    by_type: dict[type[ast.AST], array[int]]
    scopes: ScopeBuilder

    @classmethod
    def of(cls, tree: ast.Module) -> Structure:
        nodes = walk(tree)
        # Machine integers: a list would keep an int object per node.
        by_type: dict[type[ast.AST], array[int]] = {}
        for index, node in enumerate(nodes):
            indexes = by_type.get(type(node))
            if indexes is None:
                indexes = by_type[type(node)] = array("l")
            indexes.append(index)
        return cls(nodes, by_type, ScopeBuilder(tree))


class Bindings:
    """Navigation, scopes and qualified names of one module."""

    def __init__(self, tree: ast.Module, source: str, settings: Settings) -> None:
        self.tree = tree
        structure = tree.__dict__.pop(_STRUCTURE, None) or Structure.of(tree)
        self._structure = structure
        self.nodes: list[ast.AST] = structure.nodes
        """Every node, in ``ast.walk`` order: walked once, iterated by every layer."""
        self._by_type = structure.by_type
        self._nodes_of: dict[tuple[type[ast.AST], ...], list[ast.AST]] = {}
        self.source = source
        self.settings = settings
        self.modules = frozenset(settings.modules)
        self.target_version = settings.target_version
        built = structure.scopes
        self.module_scope = built.module_scope
        self._scope_of = built.scope_of_node
        self.scopes = built.scopes
        self.parents = built.parents
        self._bindings_by_node: dict[int, Binding] | None = None
        self._bound: set[str] | None = None
        self._qualname_cache: dict[int, tuple[ast.AST, QualifiedName | None]] = {}
        self._binding_cache: dict[int, tuple[ast.Name, Binding | None]] = {}
        self._fallback_imports, self._stand_ins = self._find_import_fallbacks()
        self.import_bound, self._qualifiable = self._names_of_imports()
        self.star_imports = self._find_star_imports()
        """The module's star imports of target modules, in source order."""
        self._star_bindings: dict[tuple[str, int], Binding] = {}
        self._annotations: dict[int, tuple[ast.Constant, ast.expr | None]] = {}

    def hand_over(self) -> ast.Module:
        """The tree, carrying this model's structure for the next model built on it, which
        takes it off (until then the two refer to each other)."""
        self.tree.__dict__[_STRUCTURE] = self._structure
        return self.tree

    def _names_of_imports(self) -> tuple[set[str], set[str]]:
        """Names some import binds, and those of them (or of assignments from them) that
        may name a target-module object: ``qualified_name`` is ``None`` for every other
        name, so it asks no binding for them."""
        imported: set[str] = set()
        qualifiable: set[str] = set()
        aliases: list[tuple[str, str]] = []
        for scope in self.scopes.values():
            for name, bindings in scope.bindings.items():
                for binding in bindings:
                    if binding.kind == "import" and binding.imported:
                        imported.add(name)
                        if binding.imported.partition(".")[0] in self.modules:
                            qualifiable.add(name)
                    elif binding.kind == "assign":
                        value = binding.value
                        branches = (
                            [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
                        )
                        for root in branches:
                            while isinstance(root, ast.Attribute):
                                root = root.value
                            if isinstance(root, ast.Name):
                                aliases.append((name, root.id))
                    if self.settings.module_reexports and self._reexported(binding):
                        qualifiable.add(name)
        grown = True
        while grown:
            grown = False
            for name, source in aliases:
                if source in qualifiable and name not in qualifiable:
                    qualifiable.add(name)
                    grown = True
        return imported, qualifiable

    def _find_star_imports(self) -> tuple[StarImport, ...]:
        found = []
        for node in self.nodes_of(ast.ImportFrom):
            assert isinstance(node, ast.ImportFrom)
            if node.level or not node.module or node.names[0].name != "*":
                continue
            module = self.canonical(node.module)
            if module is not None:
                root = node.module.partition(".")[0]
                found.append(StarImport(node, root, names.strip_root(module.canonical)))
        found.sort(key=lambda star: (star.statement.lineno, star.statement.col_offset))
        return tuple(found)

    def _reexported(self, binding: Binding) -> str | None:
        """The target module a name imported from another module of the project is
        (``Settings.module_reexports``); ``None`` for any other binding."""
        alias = binding.node
        statement = self.parents.get(id(alias)) if isinstance(alias, ast.alias) else None
        if not isinstance(statement, ast.ImportFrom) or not isinstance(alias, ast.alias):
            return None
        return next(
            (
                root
                for module, name, root in self.settings.module_reexports
                if imports_from_project(statement, alias, [(module, name)])
            ),
            None,
        )

    # Navigation --------------------------------------------------------------
    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(id(node))

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        current = self.parent(node)
        while current is not None:
            yield current
            current = self.parent(current)

    def scope_of(self, node: ast.AST) -> Scope:
        """The scope an expression is evaluated in."""
        for candidate in (node, *self.ancestors(node)):
            scope = self._scope_of.get(id(candidate))
            if scope is not None and isinstance(candidate, ast.Name):
                return scope
            if isinstance(candidate, (*FUNCTION_NODES, ast.ClassDef)):
                return self.scopes[id(candidate)]
        return self.module_scope

    def enclosing_function(self, node: ast.AST) -> FunctionNode | None:
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, FUNCTION_NODES):
                return ancestor
        return None

    def enclosing_class(self, function: ast.AST) -> ast.ClassDef | None:
        parent = self.parent(function)
        return parent if isinstance(parent, ast.ClassDef) else None

    def block_of(self, stmt: ast.stmt) -> list[ast.stmt]:
        """The statements of the block holding ``stmt`` (``[stmt]`` when none is known)."""
        parent = self.parent(stmt)
        for block_name in ("body", "orelse", "finalbody"):
            block = getattr(parent, block_name, None)
            if isinstance(block, list) and stmt in block:
                return block
        return [stmt]

    def block_after(self, stmt: ast.stmt) -> list[ast.stmt]:
        """The statements that follow ``stmt`` in its block."""
        block = self.block_of(stmt)
        return block[block.index(stmt) + 1 :]

    def nodes_of(self, *kinds: type[ast.AST]) -> list[ast.AST]:
        """The nodes of these types, in ``nodes`` order: a scan for a few node types skips
        the others without an ``isinstance`` test each. Kept per query (layers and rules ask
        the same ones); not to be modified."""
        known = self._nodes_of.get(kinds)
        if known is not None:
            return known
        by_type = self._by_type
        indexes: Iterable[int]
        if len(kinds) == 1:
            indexes = by_type.get(kinds[0], ())
        else:
            indexes = sorted(i for kind in set(kinds) for i in by_type.get(kind, ()))
        nodes = self.nodes
        found = self._nodes_of[kinds] = [nodes[i] for i in indexes]
        return found

    # Bindings ----------------------------------------------------------------
    def binds(self, name: str) -> bool:
        """Is ``name`` bound anywhere in the module (so a new import of it would clash)?"""
        if self._bound is None:
            self._bound = {name for scope in self.scopes.values() for name in scope.bindings}
        return name in self._bound

    def binding_made_by(self, node: ast.AST) -> Binding | None:
        """The binding an import alias, def, class or parameter creates."""
        if self._bindings_by_node is None:
            self._bindings_by_node = {
                id(binding.node): binding
                for scope in self.scopes.values()
                for bindings in scope.bindings.values()
                for binding in bindings
            }
        return self._bindings_by_node.get(id(node))

    def binding_of(self, node: ast.Name) -> Binding | None:
        # The node is kept with its answer: an id reused by a later node cannot hit.
        known = self._binding_cache.get(id(node))
        if known is not None and known[0] is node:
            return known[1]
        binding = self._binding_of(node)
        self._binding_cache[id(node)] = (node, binding)
        return binding

    def _binding_of(self, node: ast.Name) -> Binding | None:
        scope = self._scope_of.get(id(node)) or self.scope_of(node)
        binding = lookup(scope, node.id, (node.lineno, node.col_offset))
        if binding is None and self.star_imports:
            return self._star_binding(node)
        if binding is not None and self.is_fallback(binding):
            # ``try: import new / except ImportError: import old`` (or a stand-in): the
            # code is written for what the ``try`` imports.
            preferred = [
                b
                for b in binding.scope.bindings.get(binding.name, ())
                if b.kind == "import" and not self.is_fallback(b)
            ]
            if preferred:
                return preferred[-1]
        return binding

    def is_fallback(self, binding: Binding) -> bool:
        """Whether an ``except ImportError`` branch makes ``binding`` (an import, or a
        stand-in: ``= None``, a ``def`` or ``class``)."""
        node = id(binding.node)
        return node in self._fallback_imports or node in self._stand_ins

    def _star_binding(self, node: ast.Name) -> Binding | None:
        """What a name no statement binds names when the module star-imports a target
        module: the last star import that ran before it is read (all of them, in a
        function), preferring one whose module has that name in the rules' tables (other
        modules' star imports are not followed: what they bring is not known here)."""
        if node.id in _BUILTINS:
            return None
        at = (node.lineno, node.col_offset)
        stars = self.star_imports
        if self.enclosing_function(node) is None:
            stars = tuple(s for s in stars if (s.statement.lineno, s.statement.col_offset) < at)
        if not stars:
            return None
        chosen = next(
            (s for s in reversed(stars) if f"{s.path}.{node.id}".lstrip(".") in names.KNOWN_PATHS),
            stars[-1],
        )
        statement = chosen.statement
        key = (node.id, id(statement))
        binding = self._star_bindings.get(key)
        if binding is None:
            binding = self._star_bindings[key] = Binding(
                node.id,
                "star",
                statement.names[0],
                weakref.ref(self.module_scope),
                (statement.lineno, statement.col_offset),
                imported=f"{statement.module}.{node.id}",
            )
        return binding

    def _find_import_fallbacks(self) -> tuple[set[int], set[int]]:
        """What an ``except ImportError`` branch binds: aliases it imports, and stand-ins:
        names it sets to ``None`` (``websockets = None``: the module is optional) and
        functions or classes it defines in place of the import (a ``connect`` that only
        raises)."""
        imports: set[int] = set()
        stand_ins: set[int] = set()
        for node in self.nodes_of(*TRY_NODES):
            if not isinstance(node, TRY_NODES):
                continue
            for handler in node.handlers:  # type: ignore[attr-defined]
                if not caught_names(handler.type) & IMPORT_ERRORS:
                    continue
                for inner in walk(handler):
                    if isinstance(inner, (ast.Import, ast.ImportFrom)):
                        imports.update(id(alias) for alias in inner.names)
                    elif (
                        isinstance(inner, ast.Assign)
                        and isinstance(inner.value, ast.Constant)
                        and inner.value.value is None
                    ):
                        stand_ins.update(id(t) for t in inner.targets if isinstance(t, ast.Name))
                    elif isinstance(inner, (*FUNCTION_NODES, ast.ClassDef)):
                        stand_ins.add(id(inner))
        return imports, stand_ins

    def _parsed_annotation(self, annotation: ast.Constant) -> ast.expr | None:
        """A string annotation's expression, parsed once and kept with the model: the
        caches keyed by node ids must never see a freed node's id again."""
        known = self._annotations.get(id(annotation))
        if known is not None:
            return known[1]
        parsed: ast.expr | None = None
        try:
            parsed = ast.parse(str(annotation.value), mode="eval").body
        except SyntaxError:
            pass
        else:
            # Names in the string resolve in the scope of the annotation itself.
            for node in walk(parsed):
                if isinstance(node, ast.Name):
                    self._scope_of[id(node)] = self.scope_of(annotation)
                    ast.copy_location(node, annotation)
        self._annotations[id(annotation)] = (annotation, parsed)
        return parsed

    def annotated_classes(self, annotation: ast.expr | None) -> Iterator[ast.expr]:
        """The classes an annotation names: through a string, ``Optional[...]``,
        ``Union[...]`` and ``X | None``."""
        if annotation is None:
            return
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            parsed = self._parsed_annotation(annotation)
            if parsed is not None:
                yield from self.annotated_classes(parsed)
        elif isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            yield from self.annotated_classes(annotation.left)
            yield from self.annotated_classes(annotation.right)
        elif isinstance(annotation, ast.Subscript):
            outer = annotation.value
            outer_name = (
                outer.attr if isinstance(outer, ast.Attribute) else getattr(outer, "id", "")
            )
            if outer_name in {"Optional", "Union"}:
                inner = annotation.slice
                for element in inner.elts if isinstance(inner, ast.Tuple) else [inner]:
                    yield from self.annotated_classes(element)
        else:
            yield annotation

    # Qualified names -----------------------------------------------------------
    def canonical(self, dotted: str) -> QualifiedName | None:
        """Canonicalise a dotted path if it starts with a target module."""
        root, _, rest = dotted.partition(".")
        if root not in self.modules:
            return None
        return QualifiedName(f"{names.ROOT}.{rest}" if rest else names.ROOT, root)

    def qualified_name(self, expr: ast.AST, _depth: int = 0) -> QualifiedName | None:
        """What target-module object ``expr`` names, if any."""
        root = expr
        while isinstance(root, ast.Attribute):
            root = root.value
        if not (isinstance(root, ast.Name) and (root.id in self._qualifiable or self.star_imports)):
            return None
        key = id(expr)
        # The node is kept with its answer: a string annotation's nodes are parsed apart,
        # and an id a freed one had must not hit.
        known = self._qualname_cache.get(key)
        if known is not None and known[0] is expr:
            return known[1]
        result: QualifiedName | None = None
        if _depth > _MAX_ALIAS_DEPTH:
            return None
        if isinstance(expr, ast.Name):
            binding = self.binding_of(expr)
            if binding is not None:
                result = self._binding_qualname(binding, _depth)
        elif isinstance(expr, ast.Attribute):
            base = self.qualified_name(expr.value, _depth + 1)
            if base is not None:
                result = QualifiedName(f"{base.canonical}.{expr.attr}", base.root)
        self._qualname_cache[key] = (expr, result)
        return result

    def _binding_qualname(self, binding: Binding, depth: int) -> QualifiedName | None:
        if self.settings.module_reexports and (root := self._reexported(binding)):
            return QualifiedName(names.ROOT, root)
        if binding.kind in ("import", "star") and binding.imported:
            return self.canonical(binding.imported)
        # ``ws_connect = websockets.connect`` and the like: a name bound once (not counting
        # ``= None`` import fallbacks) to a websockets object.
        value = binding.value
        if binding.kind == "assign" and isinstance(value, ast.IfExp):
            # ``connect = ProxyConnect if proxy else Connect``: what one branch names (the
            # call then runs it sometimes; ``units.site_holds`` keeps it legacy).
            branches = [
                b for b in (value.body, value.orelse) if isinstance(b, (ast.Name, ast.Attribute))
            ]
            if len(binding.scope.bindings.get(binding.name, ())) == 1:
                for branch in branches:
                    found = self.qualified_name(branch, depth + 1)
                    if found is not None:
                        return found
            return None
        if binding.kind == "assign" and isinstance(binding.value, (ast.Name, ast.Attribute)):
            others = [
                b
                for b in binding.scope.bindings.get(binding.name, ())
                if b is not binding and id(b.node) not in self._stand_ins
            ]
            if not others:
                return self.qualified_name(binding.value, depth + 1)
            tried = self._tried_first(binding.scope.bindings.get(binding.name, ()))
            if tried is not None and isinstance(tried.value, (ast.Name, ast.Attribute)):
                return self.qualified_name(tried.value, depth + 1)
        return None

    def _tried_first(self, bindings: Iterable[Binding]) -> Binding | None:
        """iterm2's ``try: ws_client = websockets.legacy.client`` / ``except:
        ws_client = websockets.client``: the binding in a ``try`` body whose every other
        binding is an assignment in one of its handlers names what the code means."""
        found = list(bindings)
        trying: list[tuple[Binding, ast.Try]] = []
        for candidate in found:
            statement = self.parent(candidate.node)
            block = self.parent(statement) if statement is not None else None
            if isinstance(block, ast.Try) and statement in block.body:
                trying.append((candidate, block))
        if len(trying) != 1:
            return None
        tried, block = trying[0]
        for other in found:
            if other is tried:
                continue
            statement = self.parent(other.node)
            handler = self.parent(statement) if statement is not None else None
            if other.kind != "assign" or not (
                isinstance(handler, ast.ExceptHandler) and handler in block.handlers
            ):
                return None
        return tried
