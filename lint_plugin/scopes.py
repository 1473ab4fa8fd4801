"""Scopes and bindings: which definition a name refers to at a given place.

One pass over the module records every binding (imports, assignments, defs,
parameters, loop and ``with`` targets, ...) per scope and the scope of every
name that is read. Python's rules apply: class bodies are not visible from
nested functions, and among several bindings of a name in one scope the last
one before the use wins (the first one when all come later, as for a function
defined below the code that calls it).
"""

from __future__ import annotations

import ast
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Callable, Literal, Union

from lint_plugin.astwalk import NODE_FIELDS, child_nodes

BindingKind = Literal["import", "star", "function", "class", "param", "assign", "other"]
# Union, not |: a run-time alias must evaluate on Python 3.9.
ScopeNode = Union[ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef]


@dataclass(eq=False)
class Binding:
    name: str
    kind: BindingKind
    node: ast.AST
    """The alias, def, class, arg, or the target Name."""
    scope_ref: weakref.ref[Scope] = field(repr=False)
    """Weak: a scope holds its bindings, and a cycle would keep the whole tree alive after
    the model is dropped, until a full collection (two trees at once in ``wsu check``)."""
    position: tuple[int, int]
    imported: str | None = None
    """For imports: the dotted path as written (``websockets.legacy.client.connect``); for
    ``star`` (a name only a ``from websockets... import *`` can have bound), the path the
    star import brings it from."""
    value: ast.expr | None = None
    """For simple assignments: the value assigned."""

    @property
    def scope(self) -> Scope:
        scope = self.scope_ref()
        assert scope is not None, "a binding outlived its model"
        return scope


@dataclass(eq=False)
class Scope:
    node: ScopeNode
    parent: Scope | None
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)

    @property
    def is_class(self) -> bool:
        return isinstance(self.node, ast.ClassDef)

    def add(self, binding: Binding) -> None:
        self.bindings.setdefault(binding.name, []).append(binding)


def _pos(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


class ScopeBuilder(ast.NodeVisitor):
    def __init__(self, tree: ast.Module) -> None:
        self.module_scope = Scope(tree, None)
        self.scope = self.module_scope
        self.scope_of_node: dict[int, Scope] = {}
        """id(Name or scope-defining node) -> scope where it is evaluated."""
        self.scopes: dict[int, Scope] = {id(tree): self.module_scope}
        self.parents: dict[int, ast.AST] = {}
        self._flat = True
        """Whether expressions may be walked flat (see ``_visit_expression``)."""
        self.visit(tree)

    def visit(self, node: ast.AST) -> None:
        kind = type(node)
        method = _VISITORS.get(kind)
        if method is None:
            default = (
                ScopeBuilder._visit_expression
                if issubclass(kind, ast.expr)
                else ScopeBuilder.generic_visit
            )
            method = _VISITORS[kind] = getattr(ScopeBuilder, f"visit_{kind.__name__}", default)
        method(self, node)

    def _visit_expression(self, root: ast.AST) -> None:
        """An expression without a visitor of its own, walked in a loop rather than one
        call per node: it binds nothing and stays in one scope unless it holds a lambda,
        a walrus or a comprehension; then it is visited node by node, as before."""
        if not self._flat:
            self.generic_visit(root)
            return
        parents = self.parents
        scope_of = self.scope_of_node
        scope = self.scope
        fields = NODE_FIELDS
        found = [root]
        append = found.append
        for current in found:
            kind = current.__class__
            if kind is ast.Name:
                scope_of[id(current)] = scope
                continue
            if kind in _BINDING_EXPRESSIONS:
                # Parents and name scopes recorded so far are the same either way.
                self._flat = False
                self.generic_visit(root)
                self._flat = True
                return
            names = fields.get(kind)
            if names is None:
                for child in child_nodes(current):
                    parents[id(child)] = current
                    append(child)
                continue
            for name in names:
                value = getattr(current, name, None)
                if value.__class__ is list:
                    for item in value:
                        if item is not None:
                            parents[id(item)] = current
                            append(item)
                elif value is not None:
                    parents[id(value)] = current
                    append(value)

    def generic_visit(self, node: ast.AST) -> None:
        parents = self.parents
        visitors = _VISITORS
        for child in child_nodes(node):
            parents[id(child)] = node
            # ``visit`` inlined: this runs once per node of the module.
            kind = child.__class__
            if kind is ast.Name:
                self.scope_of_node[id(child)] = self.scope
                continue
            method = visitors.get(kind)
            if method is None:
                self.visit(child)
            elif method is not _leaf:
                method(self, child)

    # Bindings -------------------------------------------------------------
    def _bind(
        self,
        name: str,
        kind: BindingKind,
        node: ast.AST,
        imported: str | None = None,
        value: ast.expr | None = None,
    ) -> None:
        scope = self.scope
        if name in scope.globals:
            scope = self.module_scope
        scope.add(Binding(name, kind, node, weakref.ref(scope), _pos(node), imported, value))

    def _bind_target(self, target: ast.expr, value: ast.expr | None, kind: BindingKind) -> None:
        if isinstance(target, ast.Name):
            self._bind(target.id, kind, target, value=value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self._bind_target(elt, None, "other")
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, None, "other")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.parents[id(alias)] = node
            if alias.asname:
                self._bind(alias.asname, "import", alias, imported=alias.name)
            else:
                top = alias.name.split(".")[0]
                self._bind(top, "import", alias, imported=top)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            self.parents[id(alias)] = node
            if alias.name == "*":
                continue
            name = alias.asname or alias.name
            if node.level or not node.module:
                self._bind(name, "other", alias)
            else:
                self._bind(name, "import", alias, imported=f"{node.module}.{alias.name}")

    def visit_Global(self, node: ast.Global) -> None:
        self.scope.globals.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.scope.globals.difference_update(node.names)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        for target in node.targets:
            self._bind_target(target, node.value, "assign")

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.generic_visit(node)
        self._bind_target(node.target, node.value, "assign")

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.generic_visit(node)
        self._bind_target(node.target, None, "other")

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.generic_visit(node)
        scope = self.scope
        # A walrus in a comprehension binds in the enclosing function scope.
        self._bind(node.target.id, "assign", node.target, value=node.value)
        self.scope = scope

    def _visit_for(self, node: ast.For | ast.AsyncFor) -> None:
        self.generic_visit(node)
        self._bind_target(node.target, None, "other")

    visit_For = _visit_for
    visit_AsyncFor = _visit_for

    def _visit_with(self, node: ast.With | ast.AsyncWith) -> None:
        self.generic_visit(node)
        for item in node.items:
            if item.optional_vars is not None:
                self._bind_target(item.optional_vars, None, "other")

    visit_With = _visit_with
    visit_AsyncWith = _visit_with

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self._bind(node.name, "other", node)
        self.generic_visit(node)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self.generic_visit(node)
        self._bind_target(node.target, None, "other")

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.name:
            self._bind(node.name, "other", node)
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self._bind(node.name, "other", node)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        if node.rest:
            self._bind(node.rest, "other", node)
        self.generic_visit(node)

    # Uses -----------------------------------------------------------------
    def visit_Name(self, node: ast.Name) -> None:
        self.scope_of_node[id(node)] = self.scope

    # Scopes ---------------------------------------------------------------
    def _enter(self, node: ScopeNode) -> Scope:
        scope = Scope(node, self.scope)
        self.scopes[id(node)] = scope
        return scope

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for deco in node.decorator_list:
            self.parents[id(deco)] = node
            self.visit(deco)
        self._visit_signature(node.args, node)
        if node.returns is not None:
            self.parents[id(node.returns)] = node
            self.visit(node.returns)
        self._bind(node.name, "function", node)
        self.scope_of_node[id(node)] = self.scope
        outer = self.scope
        self.scope = self._enter(node)
        self._bind_params(node.args)
        for stmt in node.body:
            self.parents[id(stmt)] = node
            self.visit(stmt)
        self.scope = outer

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_signature(node.args, node)
        self.scope_of_node[id(node)] = self.scope
        outer = self.scope
        self.scope = self._enter(node)
        self._bind_params(node.args)
        self.parents[id(node.body)] = node
        self.visit(node.body)
        self.scope = outer

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for child in (*node.decorator_list, *node.bases, *node.keywords):
            self.parents[id(child)] = node
            self.visit(child)
        self._bind(node.name, "class", node)
        self.scope_of_node[id(node)] = self.scope
        outer = self.scope
        self.scope = self._enter(node)
        for stmt in node.body:
            self.parents[id(stmt)] = node
            self.visit(stmt)
        self.scope = outer

    def _visit_signature(self, args: ast.arguments, owner: ast.AST) -> None:
        self.parents[id(args)] = owner
        for default in (*args.defaults, *(d for d in args.kw_defaults if d is not None)):
            self.parents[id(default)] = args
            self.visit(default)
        for arg in all_params(args):
            self.parents[id(arg)] = args
            if arg.annotation is not None:
                self.parents[id(arg.annotation)] = arg
                self.visit(arg.annotation)

    def _bind_params(self, args: ast.arguments) -> None:
        for arg in all_params(args):
            self._bind(arg.arg, "param", arg)


def _leaf(builder: ScopeBuilder, node: ast.AST) -> None:
    """A node without children (``Constant``, ``alias``, ...): nothing to visit."""


_VISITORS: dict[type[ast.AST], Callable[[ScopeBuilder, ast.AST], None]] = {
    kind: _leaf for kind in (ast.Constant, ast.alias, ast.Pass, ast.Break, ast.Continue)
}
"""The visitor of each node type (``NodeVisitor.visit`` looks it up by name per node)."""

#: Expressions that bind names or open a scope.
_BINDING_EXPRESSIONS = frozenset(
    {ast.Lambda, ast.NamedExpr, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp}
)


def all_params(args: ast.arguments) -> Iterator[ast.arg]:
    yield from args.posonlyargs
    yield from args.args
    if args.vararg:
        yield args.vararg
    yield from args.kwonlyargs
    if args.kwarg:
        yield args.kwarg


def positional_params(args: ast.arguments) -> list[ast.arg]:
    return [*args.posonlyargs, *args.args]


def lookup(scope: Scope, name: str, at: tuple[int, int]) -> Binding | None:
    """The binding ``name`` refers to when read at position ``at`` in ``scope``."""
    current: Scope | None = scope
    first = True
    while current is not None:
        if current.is_class and not first:
            current = current.parent
            continue
        candidates = current.bindings.get(name)
        if candidates:
            if current is scope:
                before = [b for b in candidates if b.position <= at]
                return before[-1] if before else candidates[0]
            # From a nested function, any binding of the enclosing scope may be live.
            return candidates[-1]
        first = False
        current = current.parent
    return None
