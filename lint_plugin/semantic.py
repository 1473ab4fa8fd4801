"""The semantic model of one module, built once and shared by every rule.

It answers three questions the rules ask:

- what websockets object does this expression name (through every import form
  and alias, for each configured target module)?
- which expressions are websockets connections, and which functions are
  connection handlers, ``process_request`` or ``select_subprotocol`` callables
  (followed from the ``serve()`` / ``connect()`` call site to their ``def``)?
- which regions are compatibility code (import fallbacks, ``TypeError``
  fallbacks, version guards) that must not be flagged?

Scope tracking does most of the work; astroid is asked only for what it cannot
resolve (attributes of instances, names bound in ways the scope pass does not
follow), lazily, once per file.
"""

from __future__ import annotations

import ast
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Union

from lint_plugin import names
from lint_plugin.scopes import (
    Binding,
    Scope,
    ScopeBuilder,
    lookup,
    positional_params,
)
from lint_plugin.settings import Settings

log = logging.getLogger("lint_plugin")

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]
#: ``try`` statements (``try/except*`` exists from Python 3.11).
TRY_NODES: tuple[type[ast.AST], ...] = tuple(
    getattr(ast, name) for name in ("Try", "TryStar") if hasattr(ast, name)
)
Role = Literal["handler", "process_request", "select_subprotocol", "process_response"]
Family = Literal["connect", "serve", "protocol"]

_MAX_ALIAS_DEPTH = 8
_MAX_ROUNDS = 6


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


@dataclass(frozen=True)
class KeywordArg:
    """An argument that reaches a call by name: directly or through a splatted dict."""

    name: str
    value: ast.expr | None
    node: ast.AST
    """Where to report: the keyword, the dict key, or the ``setdefault`` call."""
    via: Literal["keyword", "dict", "setdefault", "subscript"]


@dataclass(eq=False)
class CallSite:
    node: ast.Call
    qualname: QualifiedName
    family: Family
    legacy: bool
    """Runs the legacy implementation on the target version."""

    def positional(self, index: int) -> ast.expr | None:
        args = [a for a in self.node.args if not isinstance(a, ast.Starred)]
        return args[index] if index < len(args) else None


@dataclass(frozen=True)
class CallableTarget:
    """A function reached from a call site, and how many leading parameters are pre-filled."""

    function: FunctionNode
    skip: int
    via: str


@dataclass(eq=False)
class Callback:
    role: Role
    target: CallableTarget
    site: CallSite | None
    """``None`` for methods overridden in a legacy protocol subclass."""


@dataclass
class _ConnFacts:
    names: set[tuple[int, str]] = field(default_factory=set)
    """(id(scope), name) pairs bound to connections."""
    attrs: set[tuple[int, str]] = field(default_factory=set)
    """(id(class), attribute) pairs holding connections (``self.ws``)."""
    containers: set[tuple[int, str]] = field(default_factory=set)
    """(id(scope), name) of sets / lists / dicts that collect connections."""
    returning: set[int] = field(default_factory=set)
    """id() of functions that return a connection (awaited when async)."""


class SemanticModel:
    def __init__(self, tree: ast.Module, source: str, settings: Settings) -> None:
        self.tree = tree
        self.source = source
        self.settings = settings
        self.modules = frozenset(settings.modules)
        built = ScopeBuilder(tree)
        self.module_scope = built.module_scope
        self._scope_of = built.scope_of_node
        self.scopes = built.scopes
        self._bindings_by_node: dict[int, Binding] | None = None
        self.parents = built.parents
        self.target_version = settings.target_version
        self._qualname_cache: dict[int, QualifiedName | None] = {}
        self._fallback_imports = self._find_fallback_imports()
        self._astroid: Any = None
        self._astroid_failed = False
        self.classes: list[ast.ClassDef] = [
            n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)
        ]
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = [
            n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
        ]
        self.call_sites: list[CallSite] = self._find_call_sites()
        self.legacy_subclasses: dict[int, ast.ClassDef] = self._find_legacy_subclasses()
        self.callbacks: list[Callback] = self._find_callbacks()
        self._conn = self._infer_connections()
        self.compat_regions: list[tuple[tuple[int, int], tuple[int, int]]] = (
            self._find_compat_regions()
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
            if isinstance(candidate, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                return self.scopes[id(candidate)]
            if isinstance(candidate, ast.ClassDef):
                return self.scopes[id(candidate)]
        return self.module_scope

    def enclosing_function(self, node: ast.AST) -> FunctionNode | None:
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                return ancestor
        return None

    def enclosing_class(self, function: ast.AST) -> ast.ClassDef | None:
        parent = self.parent(function)
        return parent if isinstance(parent, ast.ClassDef) else None

    def binds(self, name: str) -> bool:
        """Is ``name`` bound anywhere in the module (so a new import of it would clash)?"""
        return any(name in scope.bindings for scope in self.scopes.values())

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
        scope = self._scope_of.get(id(node)) or self.scope_of(node)
        binding = lookup(scope, node.id, (node.lineno, node.col_offset))
        if binding is not None and id(binding.node) in self._fallback_imports:
            # ``try: import new / except ImportError: import old``: the code is written
            # for what the ``try`` imports.
            preferred = [
                b
                for b in binding.scope.bindings.get(binding.name, ())
                if b.kind == "import" and id(b.node) not in self._fallback_imports
            ]
            if preferred:
                return preferred[-1]
        return binding

    # Qualified names -----------------------------------------------------------
    def canonical(self, dotted: str) -> QualifiedName | None:
        """Canonicalise a dotted path if it starts with a target module."""
        root, _, rest = dotted.partition(".")
        if root not in self.modules:
            return None
        return QualifiedName(f"{names.ROOT}.{rest}" if rest else names.ROOT, root)

    def qualified_name(self, expr: ast.AST, _depth: int = 0) -> QualifiedName | None:
        """What target-module object ``expr`` names, if any."""
        key = id(expr)
        if key in self._qualname_cache:
            return self._qualname_cache[key]
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
        self._qualname_cache[key] = result
        return result

    def _binding_qualname(self, binding: Binding, depth: int) -> QualifiedName | None:
        if binding.kind == "import" and binding.imported:
            return self.canonical(binding.imported)
        # ``ws_connect = websockets.connect`` and the like; only a single binding.
        if (
            binding.kind == "assign"
            and isinstance(binding.value, (ast.Name, ast.Attribute))
            and len(binding.scope.bindings.get(binding.name, ())) == 1
        ):
            return self.qualified_name(binding.value, depth + 1)
        return None

    # Call sites ------------------------------------------------------------------
    def _find_call_sites(self) -> list[CallSite]:
        sites = []
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Call):
                continue
            qualname = self.qualified_name(node.func)
            if qualname is None:
                continue
            site = self._classify_call(node, qualname)
            if site is not None:
                sites.append(site)
        return sites

    def _classify_call(self, node: ast.Call, qualname: QualifiedName) -> CallSite | None:
        name = qualname.canonical
        before_14 = self.target_version < (14, 0)
        if name in names.CONNECT:
            legacy = name in names.LEGACY_CONNECT or (name in names.TOP_CONNECT and before_14)
            return CallSite(node, qualname, "connect", legacy)
        if name in names.SERVE:
            legacy = name in names.LEGACY_SERVE or (name in names.TOP_SERVE and before_14)
            return CallSite(node, qualname, "serve", legacy)
        if name in names.LEGACY_PROTOCOL_CLASSES:
            return CallSite(node, qualname, "protocol", True)
        return None

    def keyword_args(self, site: CallSite) -> list[KeywordArg]:
        """Every argument that reaches ``site`` by name, incl. through ``**opts``."""
        found: list[KeywordArg] = []
        for keyword in site.node.keywords:
            if keyword.arg is not None:
                found.append(KeywordArg(keyword.arg, keyword.value, keyword, "keyword"))
                continue
            found.extend(self._splatted(keyword.value, site.node))
        return found

    def _splatted(self, value: ast.expr, call: ast.Call) -> Iterator[KeywordArg]:
        if isinstance(value, ast.Dict):
            yield from _dict_keys(value)
            return
        if isinstance(value, ast.Call) and _is_dict_call(value):
            yield from _dict_call_keys(value)
            return
        if not isinstance(value, ast.Name):
            return
        binding = self.binding_of(value)
        if binding is None:
            return
        if binding.kind == "assign" and binding.value is not None:
            if isinstance(binding.value, ast.Dict):
                yield from _dict_keys(binding.value)
            elif isinstance(binding.value, ast.Call) and _is_dict_call(binding.value):
                yield from _dict_call_keys(binding.value)
        # Keys added later in the same scope before the call.
        scope_node = binding.scope.node
        for node in ast.walk(scope_node):
            if (node.lineno if hasattr(node, "lineno") else 0) > call.lineno:
                continue
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"setdefault", "__setitem__"}
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == value.id
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                arg_value = node.args[1] if len(node.args) > 1 else None
                yield KeywordArg(node.args[0].value, arg_value, node, "setdefault")
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if (
                        isinstance(target, ast.Subscript)
                        and isinstance(target.value, ast.Name)
                        and target.value.id == value.id
                        and isinstance(target.slice, ast.Constant)
                        and isinstance(target.slice.value, str)
                    ):
                        yield KeywordArg(target.slice.value, node.value, target, "subscript")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "update"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == value.id
            ):
                for keyword in node.keywords:
                    if keyword.arg is not None:
                        yield KeywordArg(keyword.arg, keyword.value, keyword, "dict")
                for arg in node.args:
                    if isinstance(arg, ast.Dict):
                        yield from _dict_keys(arg)

    # Callables -------------------------------------------------------------------
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
            if binding.kind == "function" and isinstance(
                binding.node, ast.FunctionDef | ast.AsyncFunctionDef
            ):
                return [CallableTarget(binding.node, 0, "function")]
            if binding.kind == "assign" and binding.value is not None:
                return self.resolve_callable(binding.value, _depth + 1, infer=infer)
            if binding.kind in {"param", "other"} or not infer:
                return []
            return self._astroid_callable(expr)
        if isinstance(expr, ast.Call) and self._is_partial(expr.func) and expr.args:
            bound = sum(1 for a in expr.args[1:] if not isinstance(a, ast.Starred))
            return [
                CallableTarget(t.function, t.skip + bound, f"partial({t.via})")
                for t in self.resolve_callable(expr.args[0], _depth + 1, infer=infer)
            ]
        if isinstance(expr, ast.Attribute):
            method = self._self_method(expr)
            if method is not None:
                return [CallableTarget(method, 1, "bound method")]
            return self._astroid_callable(expr) if infer else []
        return []

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

    def _self_method(self, expr: ast.Attribute) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
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
    ) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        for stmt in cls.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == name:
                return stmt
        for base in cls.bases:
            local = self.local_class(base)
            if local is not None and id(local) not in _seen:
                found = self.find_method(local, name, _seen | {id(cls)})
                if found is not None:
                    return found
        return None

    def local_class(self, expr: ast.expr) -> ast.ClassDef | None:
        if isinstance(expr, ast.Name):
            binding = self.binding_of(expr)
            if binding is not None and isinstance(binding.node, ast.ClassDef):
                return binding.node
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

    def _function_at(self, line: int, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        for function in self.functions:
            if function.name == name and (
                function.lineno == line or any(d.lineno == line for d in function.decorator_list)
            ):
                return function
        return None

    # Callbacks ----------------------------------------------------------------------
    def _find_callbacks(self) -> list[Callback]:
        callbacks: list[Callback] = []
        for site in self.call_sites:
            if site.family != "serve":
                continue
            handler = site.positional(0)
            for keyword in site.node.keywords:
                if keyword.arg in {"handler", "ws_handler"}:
                    handler = keyword.value
            if handler is not None:
                for target in self.resolve_callable(handler):
                    callbacks.append(Callback("handler", target, site))
            for keyword in site.node.keywords:
                if keyword.arg in {"process_request", "select_subprotocol", "process_response"}:
                    for target in self.resolve_callable(keyword.value):
                        callbacks.append(Callback(keyword.arg, target, site))  # type: ignore[arg-type]
        for cls in self.legacy_subclasses.values():
            for stmt in cls.body:
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in {
                    "process_request",
                    "select_subprotocol",
                }:
                    callbacks.append(
                        Callback(stmt.name, CallableTarget(stmt, 1, "method"), None)  # type: ignore[arg-type]
                    )
        return callbacks

    def _find_legacy_subclasses(self) -> dict[int, ast.ClassDef]:
        found: dict[int, ast.ClassDef] = {}
        changed = True
        while changed:
            changed = False
            for cls in self.classes:
                if id(cls) in found:
                    continue
                for base in cls.bases:
                    qualname = self.qualified_name(base)
                    local = self.local_class(base)
                    if (qualname and qualname.canonical in names.LEGACY_CLASSES) or (
                        local is not None and id(local) in found
                    ):
                        found[id(cls)] = cls
                        changed = True
                        break
        return found

    def legacy_base(self, cls: ast.ClassDef) -> ast.expr | None:
        """The base-class expression that names a legacy class directly."""
        for base in cls.bases:
            qualname = self.qualified_name(base)
            if qualname and qualname.canonical in names.LEGACY_CLASSES:
                return base
        return None

    # Connections ----------------------------------------------------------------------
    def is_connection(self, expr: ast.AST) -> bool:
        if isinstance(expr, ast.Name):
            binding = self.binding_of(expr)
            if binding is None:
                return False
            if (id(binding.scope), binding.name) in self._conn.names:
                return True
            return self._is_legacy_self(binding)
        if isinstance(expr, ast.Attribute):
            cls = self._owner_class(expr.value)
            return cls is not None and (id(cls), expr.attr) in self._conn.attrs
        if isinstance(expr, ast.Subscript):
            return self._is_container(expr.value)
        if isinstance(expr, ast.Await):
            return self._returns_connection(expr.value)
        return False

    def is_connection_container(self, name: str) -> bool:
        """Is the module-level ``name`` a collection that connections are added to?"""
        return (id(self.module_scope), name) in self._conn.containers

    def _is_legacy_self(self, binding: Binding) -> bool:
        """``self`` in a method of a legacy protocol subclass is a connection."""
        if binding.kind != "param" or not isinstance(
            binding.scope.node, ast.FunctionDef | ast.AsyncFunctionDef
        ):
            return False
        params = positional_params(binding.scope.node.args)
        if not params or params[0] is not binding.node:
            return False
        cls = self.enclosing_class(binding.scope.node)
        if cls is None or id(cls) not in self.legacy_subclasses:
            return False
        return not any(
            isinstance(d, ast.Name) and d.id in {"staticmethod", "classmethod"}
            for d in binding.scope.node.decorator_list
        )

    def _owner_class(self, expr: ast.expr) -> ast.ClassDef | None:
        """The class of ``self`` (or ``cls``) in ``self.attr``."""
        if not isinstance(expr, ast.Name):
            return None
        binding = self.binding_of(expr)
        if binding is None or binding.kind != "param":
            return None
        function = binding.scope.node
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        params = positional_params(function.args)
        if not params or params[0] is not binding.node:
            return None
        return self.enclosing_class(function)

    def _is_container(self, expr: ast.expr) -> bool:
        if isinstance(expr, ast.Name):
            binding = self.binding_of(expr)
            return binding is not None and (id(binding.scope), binding.name) in (
                self._conn.containers
            )
        if isinstance(expr, ast.Attribute):
            cls = self._owner_class(expr.value)
            return cls is not None and (id(cls), "[]" + expr.attr) in self._conn.attrs
        return False

    def _returns_connection(self, call: ast.expr) -> bool:
        if not isinstance(call, ast.Call):
            return False
        if self._is_connect_call(call):
            return True
        for target in self.resolve_callable(call.func, infer=False):
            if id(target.function) in self._conn.returning:
                return True
        return False

    def _is_connect_call(self, expr: ast.expr) -> bool:
        if not isinstance(expr, ast.Call):
            return False
        qualname = self.qualified_name(expr.func)
        if qualname is not None and qualname.canonical in names.CONNECT:
            return True
        # asyncio.wait_for(connect(...), timeout)
        if (
            isinstance(expr.func, ast.Attribute)
            and expr.func.attr == "wait_for"
            and expr.args
            and isinstance(expr.args[0], ast.Call)
        ):
            return self._is_connect_call(expr.args[0])
        return False

    def _is_connection_value(self, value: ast.expr | None) -> bool:
        """A value whose result is a connection: ``await connect()``, another connection."""
        if value is None:
            return False
        if isinstance(value, ast.Await):
            return self._returns_connection(value.value)
        return self.is_connection(value)

    def is_connection_annotation(self, annotation: ast.expr | None) -> bool:
        if annotation is None:
            return False
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                parsed = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return False
            # Names in the string resolve in the scope of the annotation itself.
            for node in ast.walk(parsed):
                if isinstance(node, ast.Name):
                    self._scope_of[id(node)] = self.scope_of(annotation)
                    ast.copy_location(node, annotation)
            return self.is_connection_annotation(parsed)
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            return self.is_connection_annotation(annotation.left) or self.is_connection_annotation(
                annotation.right
            )
        if isinstance(annotation, ast.Subscript):
            outer = annotation.value
            outer_name = (
                outer.attr if isinstance(outer, ast.Attribute) else getattr(outer, "id", "")
            )
            if outer_name in {"Optional", "Union"}:
                inner = annotation.slice
                elts = inner.elts if isinstance(inner, ast.Tuple) else [inner]
                return any(self.is_connection_annotation(e) for e in elts)
            return False
        qualname = self.qualified_name(annotation)
        if qualname is not None and qualname.canonical in names.CONNECTION_CLASSES:
            return True
        local = self.local_class(annotation) if isinstance(annotation, ast.Name) else None
        return local is not None and id(local) in self.legacy_subclasses

    def _infer_connections(self) -> _ConnFacts:
        facts = _ConnFacts()
        self._conn = facts
        seeds: list[tuple[FunctionNode, int]] = []
        for callback in self.callbacks:
            if callback.role == "handler":
                seeds.append((callback.target.function, callback.target.skip))
            elif callback.role in {"process_request", "process_response", "select_subprotocol"}:
                legacy = callback.site is None or callback.site.legacy
                if not legacy:
                    seeds.append((callback.target.function, callback.target.skip))
        for function in self.functions:
            for arg in [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]:
                if self.is_connection_annotation(arg.annotation):
                    facts.names.add((id(self.scopes[id(function)]), arg.arg))
        for cls in self.classes:
            for stmt in cls.body:
                if (
                    isinstance(stmt, ast.AnnAssign)
                    and isinstance(stmt.target, ast.Name)
                    and self.is_connection_annotation(stmt.annotation)
                ):
                    facts.attrs.add((id(cls), stmt.target.id))
        for node in ast.walk(self.tree):
            if (
                isinstance(node, ast.AnnAssign)
                and not isinstance(self.parent(node), ast.ClassDef)
                and self.is_connection_annotation(node.annotation)
            ):
                self._mark_target(node.target)
        for seed, index in seeds:
            self._mark_param(seed, index)
        for _ in range(_MAX_ROUNDS):
            before = (
                len(facts.names),
                len(facts.attrs),
                len(facts.containers),
                len(facts.returning),
            )
            self._propagate()
            after = (
                len(facts.names),
                len(facts.attrs),
                len(facts.containers),
                len(facts.returning),
            )
            if after == before:
                break
        return facts

    def _mark_param(self, function: FunctionNode, index: int) -> None:
        params = positional_params(function.args)
        if index < len(params):
            self._conn.names.add((id(self.scopes[id(function)]), params[index].arg))

    def _mark_target(self, target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            binding = self.binding_of(target)
            scope = binding.scope if binding is not None else self.scope_of(target)
            self._conn.names.add((id(scope), target.id))
        elif isinstance(target, ast.Attribute):
            cls = self._owner_class(target.value)
            if cls is not None:
                self._conn.attrs.add((id(cls), target.attr))

    def _mark_container(self, expr: ast.expr) -> None:
        if isinstance(expr, ast.Name):
            binding = self.binding_of(expr)
            if binding is not None:
                self._conn.containers.add((id(binding.scope), binding.name))
        elif isinstance(expr, ast.Attribute):
            cls = self._owner_class(expr.value)
            if cls is not None:
                self._conn.attrs.add((id(cls), "[]" + expr.attr))

    def _propagate(self) -> None:
        for node in ast.walk(self.tree):
            if isinstance(node, (ast.AsyncWith, ast.With)):
                for item in node.items:
                    if item.optional_vars is not None and (
                        self._is_connect_call(item.context_expr)
                        or self._is_connection_value(item.context_expr)
                    ):
                        self._mark_target(item.optional_vars)
            elif isinstance(node, (ast.AsyncFor, ast.For)):
                if self._is_connect_call(node.iter) or self._iterates_container(node.iter):
                    self._mark_target(node.target)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                from_container = isinstance(node.value, ast.Subscript) and self._is_container(
                    node.value.value
                )
                if from_container or self._is_connection_value(node.value):
                    for target in targets:
                        self._mark_target(target)
                for target in targets:
                    if isinstance(target, ast.Subscript) and self._is_connection_value(node.value):
                        self._mark_container(target.value)
            elif isinstance(node, ast.Call):
                self._propagate_call(node)
            elif isinstance(node, ast.Return) and self._is_connection_value(node.value):
                function = self.enclosing_function(node)
                if function is not None:
                    self._conn.returning.add(id(function))

    def _iterates_container(self, expr: ast.expr) -> bool:
        # for ws in clients / clients.values() / list(clients) / clients.copy()
        if isinstance(expr, ast.Call):
            if isinstance(expr.func, ast.Attribute) and expr.func.attr in {"values", "copy"}:
                return self._is_container(expr.func.value)
            if isinstance(expr.func, ast.Name) and expr.func.id in {
                "list",
                "set",
                "tuple",
                "sorted",
            }:
                return bool(expr.args) and self._iterates_container(expr.args[0])
            return False
        return self._is_container(expr)

    def _propagate_call(self, node: ast.Call) -> None:
        func = node.func
        # clients.add(ws), clients.append(ws)
        if (
            isinstance(func, ast.Attribute)
            and func.attr in {"add", "append", "appendleft", "insert"}
            and node.args
            and self._is_connection_value(node.args[-1])
        ):
            self._mark_container(func.value)
            return
        # A connection passed to a function of this module makes that parameter one too.
        conn_positions = [i for i, arg in enumerate(node.args) if self._is_connection_value(arg)]
        conn_keywords = [
            k.arg for k in node.keywords if k.arg and self._is_connection_value(k.value)
        ]
        if not conn_positions and not conn_keywords:
            return
        if self.qualified_name(func) is not None:
            return
        for target in self.resolve_callable(func, infer=False):
            params = positional_params(target.function.args)
            for index in conn_positions:
                self._mark_param(target.function, index + target.skip)
            for keyword in conn_keywords:
                for param in [*params, *target.function.args.kwonlyargs]:
                    if param.arg == keyword:
                        self._conn.names.add((id(self.scopes[id(target.function)]), keyword))

    # Compatibility code ------------------------------------------------------------------
    def _find_fallback_imports(self) -> set[int]:
        """Aliases imported in an ``except ImportError`` branch (import fallbacks)."""
        found: set[int] = set()
        for node in ast.walk(self.tree):
            if not isinstance(node, TRY_NODES):
                continue
            for handler in node.handlers:
                if _caught_names(handler.type) & {"ImportError", "ModuleNotFoundError"}:
                    for inner in ast.walk(handler):
                        if isinstance(inner, (ast.Import, ast.ImportFrom)):
                            found.update(id(alias) for alias in inner.names)
        return found

    def _find_compat_regions(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        regions = []
        for node in ast.walk(self.tree):
            if isinstance(node, TRY_NODES):
                for handler in node.handlers:
                    if self._is_compat_handler(node, handler):
                        regions.append(_span(handler))
            elif isinstance(node, (ast.If, ast.IfExp, ast.While)) and self._is_version_guard(
                node.test
            ):
                regions.append(_span(node))
                if isinstance(node, ast.If) and not node.orelse and _exits(node.body):
                    # ``if new_enough: return ...`` guards the rest of the block too.
                    siblings = self._block_after(node)
                    if siblings:
                        regions.append((_span(siblings[0])[0], _span(siblings[-1])[1]))
        return regions

    def _block_after(self, stmt: ast.stmt) -> list[ast.stmt]:
        parent = self.parent(stmt)
        for block_name in ("body", "orelse", "finalbody"):
            block = getattr(parent, block_name, None)
            if isinstance(block, list) and stmt in block:
                return block[block.index(stmt) + 1 :]
        return []

    def _is_compat_handler(self, node: ast.Try | ast.TryStar, handler: ast.ExceptHandler) -> bool:
        caught = _caught_names(handler.type)
        if caught & {"ImportError", "ModuleNotFoundError"}:
            return any(
                self._imports_new_api(stmt)
                for body_stmt in node.body
                for stmt in ast.walk(body_stmt)
            )
        if "TypeError" in caught:
            return any(
                isinstance(n, ast.Call) and self._is_websockets_call(n)
                for body_stmt in node.body
                for n in ast.walk(body_stmt)
            )
        return False

    def _imports_new_api(self, stmt: ast.AST) -> bool:
        """An import of a websockets name that is neither legacy nor deprecated."""
        if isinstance(stmt, ast.Import):
            paths = [self.canonical(a.name) for a in stmt.names]
        elif isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
            paths = [self.canonical(f"{stmt.module}.{a.name}") for a in stmt.names]
        else:
            return False
        return any(
            path is not None and not _is_old_path(path.canonical.partition(".")[2])
            for path in paths
        )

    def _is_websockets_call(self, call: ast.Call) -> bool:
        qualname = self.qualified_name(call.func)
        return qualname is not None and (
            qualname.canonical in names.CONNECT
            or qualname.canonical in names.SERVE
            or qualname.canonical in names.LEGACY_PROTOCOL_CLASSES
        )

    def _is_version_guard(self, test: ast.expr) -> bool:
        for node in ast.walk(test):
            if isinstance(node, (ast.Name, ast.Attribute)):
                qualname = self.qualified_name(node)
                if qualname is not None and (
                    qualname.canonical in names.VERSION_NAMES
                    or qualname.canonical.endswith((".version_info", ".__version__"))
                ):
                    return True
                if isinstance(node, ast.Name) and self._is_version_alias(node):
                    return True
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "hasattr"
                and node.args
                and self.qualified_name(node.args[0]) is not None
            ):
                return True
            if isinstance(node, ast.Constant) and node.value in self.modules:
                # importlib.metadata.version("websockets") compared to something.
                parent = self.parent(node)
                if isinstance(parent, ast.Call):
                    return True
        return False

    def _is_version_alias(self, name: ast.Name) -> bool:
        binding = self.binding_of(name)
        if binding is None or binding.kind != "assign" or binding.value is None:
            return False
        return any(
            (q := self.qualified_name(n)) is not None
            and (q.canonical in names.VERSION_NAMES or q.canonical.endswith(".__version__"))
            for n in ast.walk(binding.value)
            if isinstance(n, (ast.Name, ast.Attribute))
        )


def _exits(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], (ast.Return, ast.Raise, ast.Continue, ast.Break))


def _is_old_path(path: str) -> bool:
    if path == "legacy" or path.startswith("legacy."):
        return True
    entry = names.DEPRECATION_BY_PATH.get(path)
    return entry is not None or path.partition(".")[0] in {"auth", "connection", "http"}


def _span(node: ast.AST) -> tuple[tuple[int, int], tuple[int, int]]:
    return (
        (node.lineno, node.col_offset),  # type: ignore[attr-defined]
        (node.end_lineno or node.lineno, node.end_col_offset or 0),  # type: ignore[attr-defined]
    )


def _caught_names(expr: ast.expr | None) -> set[str]:
    if expr is None:
        return set()
    if isinstance(expr, ast.Tuple):
        return set().union(*(_caught_names(e) for e in expr.elts))
    if isinstance(expr, ast.Name):
        return {expr.id}
    if isinstance(expr, ast.Attribute):
        return {expr.attr}
    return set()


def _dict_keys(value: ast.Dict) -> Iterator[KeywordArg]:
    for key, item in zip(value.keys, value.values, strict=True):
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            yield KeywordArg(key.value, item, key, "dict")


def _is_dict_call(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Name) and call.func.id == "dict"


def _dict_call_keys(call: ast.Call) -> Iterator[KeywordArg]:
    for keyword in call.keywords:
        if keyword.arg is not None:
            yield KeywordArg(keyword.arg, keyword.value, keyword, "dict")
