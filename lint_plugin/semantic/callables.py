"""Callables: the ``def`` (or lambda) a callable expression refers to, through aliases,
``functools.partial``, bound methods and variables; astroid only for what scope tracking
cannot follow, lazily, once per file."""

from __future__ import annotations

import ast
import logging
from dataclasses import dataclass
from typing import Any

from lint_plugin.astwalk import walk
from lint_plugin.scopes import positional_params
from lint_plugin.semantic.bindings import Bindings
from lint_plugin.semantic.syntax import DEF_NODES, DefNode, FunctionNode, decorator_names
from lint_plugin.settings import Settings

log = logging.getLogger("lint_plugin")

_MAX_ALIAS_DEPTH = 8


@dataclass(frozen=True)
class CallableTarget:
    """A function reached from a call site, and how many leading parameters are pre-filled."""

    function: FunctionNode
    skip: int
    via: str
    bound: frozenset[str] = frozenset()
    """Parameters ``functools.partial`` binds by keyword: the caller does not fill them."""

    def positional(self) -> list[ast.arg]:
        """The positional parameters a caller fills, after the pre-filled ones; a parameter
        bound by keyword ends them (the ones after it can only be passed by keyword)."""
        params = positional_params(self.function.args)
        for index, param in enumerate(params):
            if param.arg in self.bound:
                return params[self.skip : index]
        return params[self.skip :]


class Callables(Bindings):
    def __init__(self, tree: ast.Module, source: str, settings: Settings) -> None:
        super().__init__(tree, source, settings)
        self._astroid: Any = None
        self._astroid_failed = False
        self._attribute_values: dict[int, dict[str, list[ast.expr]]] = {}
        self.classes: list[ast.ClassDef] = [
            n for n in self.nodes_of(ast.ClassDef) if isinstance(n, ast.ClassDef)
        ]
        self.functions: list[DefNode] = [
            n for n in self.nodes_of(*DEF_NODES) if isinstance(n, DEF_NODES)
        ]

    def resolve_callable(
        self, expr: ast.expr, _depth: int = 0, *, infer: bool = True
    ) -> list[CallableTarget]:
        """The ``def`` (or lambda) a callable expression refers to, through aliases,
        ``functools.partial``, bound methods and variables.

        With ``infer``, astroid is asked about what scope tracking cannot follow (methods
        of instances, imported callables); that costs a parse of the file, so it is kept
        for callbacks passed to ``serve()``.
        """
        if _depth > _MAX_ALIAS_DEPTH:
            return []
        if isinstance(expr, ast.Lambda):
            return [CallableTarget(expr, 0, "lambda")]
        if isinstance(expr, ast.Name):
            binding = self.binding_of(expr)
            if binding is None:
                return []
            if binding.kind == "function" and isinstance(binding.node, DEF_NODES):
                return [CallableTarget(binding.node, 0, "function")]
            if binding.kind == "assign" and binding.value is not None:
                return self.resolve_callable(binding.value, _depth + 1, infer=infer)
            owner = self.self_class(expr) if binding.kind == "param" else None
            if owner is not None:
                return self._instance_call(owner)
            if binding.kind in {"param", "other"} or not infer:
                return []
            return self._astroid_callable(expr)
        if isinstance(expr, ast.Call) and self._is_partial(expr.func) and expr.args:
            count = sum(1 for a in expr.args[1:] if not isinstance(a, ast.Starred))
            keywords = frozenset(k.arg for k in expr.keywords if k.arg is not None)
            return [
                CallableTarget(t.function, t.skip + count, f"partial({t.via})", t.bound | keywords)
                for t in self.resolve_callable(expr.args[0], _depth + 1, infer=infer)
            ]
        if isinstance(expr, ast.Call):
            cls = self.local_class(expr.func)
            if cls is not None:
                return self._instance_call(cls)
        # ``check if cond else None``, ``handler or default``: any branch may be the one.
        if isinstance(expr, ast.IfExp):
            branches: list[ast.expr] = [expr.body, expr.orelse]
            return self._resolve_each(branches, _depth, infer)
        if isinstance(expr, ast.BoolOp):
            return self._resolve_each(expr.values, _depth, infer)
        if isinstance(expr, ast.Attribute):
            method = self._self_method(expr)
            if method is not None:
                return [CallableTarget(method, 1, "bound method")]
            stored = self._stored_on_self(expr)
            if stored:
                return self._resolve_each(stored, _depth, infer)
            on_class = self._class_method(expr)
            if on_class is not None:
                return [on_class]
            return self._astroid_callable(expr) if infer else []
        return []

    def _class_method(self, expr: ast.Attribute) -> CallableTarget | None:
        """``Cls.create`` on a class of the module: a class method is given the class, a
        static method or a plain function (called unbound) nothing."""
        cls = self.local_class(expr.value)
        method = self.find_method(cls, expr.attr) if cls is not None else None
        if method is None:
            return None
        skip = 1 if "classmethod" in decorator_names(method) else 0
        return CallableTarget(method, skip, "class attribute")

    def _instance_call(self, cls: ast.ClassDef) -> list[CallableTarget]:
        """An instance of a module class called (``serve(self, ...)`` in a method, or
        ``serve(Router(), ...)``): its ``__call__``, bound."""
        method = self.find_method(cls, "__call__")
        return [CallableTarget(method, 1, "instance")] if method is not None else []

    def _resolve_each(self, exprs: list[ast.expr], depth: int, infer: bool) -> list[CallableTarget]:
        return [t for e in exprs for t in self.resolve_callable(e, depth + 1, infer=infer)]

    def _stored_on_self(self, expr: ast.Attribute) -> list[ast.expr]:
        """What the methods of the class assign to ``self.<attr>`` (a callback kept on
        the instance before it is passed on)."""
        owner = self.self_class(expr.value)
        if owner is None:
            return []
        return self.attribute_values(owner).get(expr.attr, [])

    def self_class(self, expr: ast.expr) -> ast.ClassDef | None:
        """The class of ``self`` when ``expr`` is the first parameter of a method."""
        if not isinstance(expr, ast.Name):
            return None
        binding = self.binding_of(expr)
        if binding is None or binding.kind != "param":
            return None
        function = binding.scope.node
        if not isinstance(function, DEF_NODES):
            return None
        params = positional_params(function.args)
        if not params or params[0] is not binding.node:
            return None
        return self.enclosing_class(function)

    def attribute_values(self, cls: ast.ClassDef) -> dict[str, list[ast.expr]]:
        """``self.attr = value`` in the methods of ``cls`` (and ``attr = value`` in its
        body), by attribute: computed once per class."""
        cached = self._attribute_values.get(id(cls))
        if cached is not None:
            return cached
        found: dict[str, list[ast.expr]] = {}
        for stmt in cls.body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        found.setdefault(target.id, []).append(stmt.value)
            elif isinstance(stmt, DEF_NODES):
                for node in walk(stmt):
                    if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
                        continue
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        if (
                            isinstance(target, ast.Attribute)
                            and self.self_class(target.value) is cls
                        ):
                            found.setdefault(target.attr, []).append(node.value)
        self._attribute_values[id(cls)] = found
        return found

    def _is_partial(self, func: ast.expr) -> bool:
        if isinstance(func, ast.Attribute):
            return (
                func.attr == "partial"
                and isinstance(func.value, ast.Name)
                and self._imports_module(func.value, "functools")
            )
        if isinstance(func, ast.Name):
            binding = self.binding_of(func)
            return binding is not None and binding.imported == "functools.partial"
        return False

    def _imports_module(self, name: ast.Name, module: str) -> bool:
        binding = self.binding_of(name)
        return binding is not None and binding.kind == "import" and binding.imported == module

    def _self_method(self, expr: ast.Attribute) -> DefNode | None:
        """``self.method`` inside a class -> that method's def (in this class or a local base)."""
        if not isinstance(expr.value, ast.Name):
            return None
        function = self.enclosing_function(expr)
        while isinstance(function, ast.Lambda):
            function = self.enclosing_function(function)
        if function is None or not positional_params(function.args):
            return None
        if positional_params(function.args)[0].arg != expr.value.id:
            return None
        cls = self.enclosing_class(function)
        return self.find_method(cls, expr.attr) if cls is not None else None

    def find_method(
        self, cls: ast.ClassDef, name: str, _seen: frozenset[int] = frozenset()
    ) -> DefNode | None:
        for stmt in cls.body:
            if isinstance(stmt, DEF_NODES) and stmt.name == name:
                return stmt
        for base in cls.bases:
            local = self.local_class(base)
            if local is not None and id(local) not in _seen:
                found = self.find_method(local, name, _seen | {id(cls)})
                if found is not None:
                    return found
        return None

    def local_class(self, expr: ast.expr, _depth: int = 0) -> ast.ClassDef | None:
        """The module's class ``expr`` names, directly or through a name bound once to it
        (``connect = MyConnect``)."""
        if isinstance(expr, ast.Name) and _depth <= _MAX_ALIAS_DEPTH:
            binding = self.binding_of(expr)
            if binding is not None and isinstance(binding.node, ast.ClassDef):
                return binding.node
            if (
                binding is not None
                and binding.kind == "assign"
                and isinstance(binding.value, ast.Name)
                and len(binding.scope.bindings.get(binding.name, ())) == 1
            ):
                return self.local_class(binding.value, _depth + 1)
        return None

    # astroid, for what scope tracking cannot follow ---------------------------------
    def _astroid_module(self) -> Any:
        if self._astroid is None and not self._astroid_failed:
            try:
                import astroid

                self._astroid = astroid.parse(self.source)
            except Exception as exc:  # astroid may fail on exotic code; rules go on without it.
                log.debug("astroid could not parse the module: %s", exc)
                self._astroid_failed = True
        return self._astroid

    def _astroid_node(self, expr: ast.expr) -> Any:
        module = self._astroid_module()
        if module is None:
            return None
        import astroid.nodes

        wanted = (expr.lineno, expr.col_offset, getattr(expr, "end_col_offset", None))
        for node in module.nodes_of_class((astroid.nodes.Attribute, astroid.nodes.Name)):
            if (node.lineno, node.col_offset, node.end_col_offset) == wanted:
                return node
        return None

    def _astroid_callable(self, expr: ast.expr) -> list[CallableTarget]:
        node = self._astroid_node(expr)
        if node is None:
            return []
        import astroid.bases
        import astroid.nodes

        found: list[CallableTarget] = []
        try:
            inferred = list(node.infer())
        except Exception:  # InferenceError and friends: nothing to add.
            return []
        for value in inferred:
            skip = 1 if isinstance(value, astroid.bases.BoundMethod) else 0
            while isinstance(value, astroid.bases.UnboundMethod):  # BoundMethod subclasses it
                value = value._proxied
            if isinstance(value, astroid.nodes.FunctionDef):
                function = self._function_at(value.lineno, value.name)
                if function is not None:
                    found.append(CallableTarget(function, skip, "inferred"))
        return found

    def _function_at(self, line: int, name: str) -> DefNode | None:
        for function in self.functions:
            if function.name == name and (
                function.lineno == line or any(d.lineno == line for d in function.decorator_list)
            ):
                return function
        return None
