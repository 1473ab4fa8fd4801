"""Connections: which expressions are websockets connections.

Seeds are handler parameters, annotations and ``connect()`` results; they spread through
assignments, ``async with`` / ``async for`` targets, containers, returns and calls to
functions of the module, in a bounded number of rounds.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from lint_plugin import names
from lint_plugin.astwalk import walk
from lint_plugin.scopes import Binding, positional_params
from lint_plugin.semantic.bindings import imports_from_project
from lint_plugin.semantic.callables import CallableTarget
from lint_plugin.semantic.servers import Servers
from lint_plugin.semantic.syntax import (
    DEF_NODES,
    FunctionNode,
    decorator_names,
    exits,
    isinstance_test,
)
from lint_plugin.settings import Settings

_MAX_ROUNDS = 6
_PROPAGATING = (
    ast.AsyncWith,
    ast.With,
    ast.AsyncFor,
    ast.For,
    ast.comprehension,
    ast.Assign,
    ast.AnnAssign,
    ast.Call,
    ast.Return,
)


#: The expressions whose value may be a connection (``_is_connection_value``).
_MAY_BE_CONNECTION = frozenset({ast.Name, ast.Attribute, ast.Subscript, ast.Await, ast.Call})


#: The methods taking one entry out of a container (``sock = free.pop()``).
_TAKING = frozenset({"pop", "popleft", "get"})
#: What a ``for`` may iterate to mark its target: a call, a container of connections.
_MAY_ITERATE = frozenset({ast.Call, ast.Name, ast.Attribute, ast.Subscript})


#: The names a method's instance or class is usually given (``self_class`` knows them).
_SELVES = frozenset({"self", "cls"})


def _container_root(expr: ast.expr) -> ast.expr:
    """``conns`` of ``conns[name]["websocket"]`` or ``conns.setdefault(name, set())``: the
    container a nested entry is in."""
    while True:
        if isinstance(expr, ast.Subscript):
            expr = expr.value
        elif (
            isinstance(expr, ast.Call)
            and isinstance(expr.func, ast.Attribute)
            and expr.func.attr in _ENTRY_OF
        ):
            expr = expr.func.value
        else:
            return expr


#: The methods giving a container's entry, which may be a container itself.
_ENTRY_OF = frozenset({"setdefault", "get"})


def _may_propagate(node: ast.AST) -> bool:
    """Whether ``_propagate`` may learn anything from ``node``, whatever it knows: only
    values of some kinds may be connections (``_is_connection_value``)."""
    if isinstance(node, ast.Call):
        return any(a.__class__ in _MAY_BE_CONNECTION for a in node.args) or any(
            k.arg and k.value.__class__ in _MAY_BE_CONNECTION for k in node.keywords
        )
    if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        return node.iter.__class__ in _MAY_ITERATE
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return any(
            item.optional_vars is not None and item.context_expr.__class__ in _MAY_BE_CONNECTION
            for item in node.items
        )
    value = getattr(node, "value", None)  # Assign, AnnAssign, Return
    if isinstance(value, ast.Dict):  # ``{"websocket": ws}``: a container of connections
        return any(v.__class__ in _MAY_BE_CONNECTION for v in value.values)
    return value.__class__ in _MAY_BE_CONNECTION


@dataclass
class ConnectionFacts:
    names: set[tuple[int, str]] = field(default_factory=set)
    """(id(scope), name) pairs bound to connections."""
    attrs: set[tuple[int, str]] = field(default_factory=set)
    """(id(class), attribute) pairs holding connections (``self.ws``)."""
    containers: set[tuple[int, str]] = field(default_factory=set)
    """(id(scope), name) of sets / lists / dicts that collect connections."""
    returning: set[int] = field(default_factory=set)
    """id() of functions that return a connection (awaited when async)."""
    connecting: set[int] = field(default_factory=set)
    """id() of plain functions returning a ``connect()`` call unawaited (iterm2's
    ``return websockets.connect(...)``): calling one is calling ``connect()``."""
    spelled: set[str] = field(default_factory=set)
    """The names in ``names`` and ``containers``, and the attributes in ``attrs``: an
    expression spelled otherwise is none of them, whatever its binding."""
    held_in: set[str] = field(default_factory=set)
    """The attributes in ``attrs`` (not containers'): read through another object
    (``manager.client.ws``), they are taken to hold the connection too."""

    def add_name(self, scope: int, name: str) -> None:
        self.names.add((scope, name))
        self.spelled.add(name)

    def add_attr(self, cls: int, attr: str) -> None:
        self.attrs.add((cls, attr))
        self.spelled.add(attr)
        if not attr.startswith("[]"):
            self.held_in.add(attr)

    def add_container(self, scope: int, name: str) -> None:
        self.containers.add((scope, name))
        self.spelled.add(name)

    def size(self) -> tuple[int, ...]:
        return (
            len(self.names),
            len(self.attrs),
            len(self.containers),
            len(self.returning),
            len(self.connecting),
        )


class Connections(Servers):
    def __init__(self, tree: ast.Module, source: str, settings: Settings) -> None:
        super().__init__(tree, source, settings)
        self._conn = ConnectionFacts()
        self._propagating: list[ast.AST] | None = None
        self._entry_names_found: frozenset[str] | None = None
        """The nodes ``_propagate`` reads in each round: those that may ever mark one."""
        self._legacy_self: dict[int, bool] = {}
        """id() of a parameter's binding -> ``_is_legacy_self`` (the model keeps them)."""
        self._narrowed: set[int] = set()
        """id() of names read where an ``isinstance`` check says they are connections."""
        self.held_in_asked: dict[str, bool] = {}
        """What ``is_connection`` answered of an attribute read through another object
        (``connection_attributes``): a module checked in segments checks it against the
        whole module's."""
        # Names only ever bound to what a connection-making class or a legacy subclass's
        # ``self`` can be: asking the binding of other names is skipped.
        self._connection_classes = {
            cls.name
            for cls in self.legacy_subclasses.values()
            if id(cls) not in self.factory_subclasses
        }
        self._legacy_selves = {
            params[0].arg
            for cls in self.legacy_subclasses.values()
            for stmt in cls.body
            if isinstance(stmt, DEF_NODES) and (params := positional_params(stmt.args))
        }
        self._infer_connections()
        self._find_narrowing()

    # Questions the rules ask ---------------------------------------------------------
    def is_connection(self, expr: ast.AST) -> bool:
        if isinstance(expr, ast.Name):
            if id(expr) in self._narrowed:
                return True
            if expr.id not in self._conn.spelled and expr.id not in self._legacy_selves:
                return False
            binding = self.binding_of(expr)
            if binding is None:
                return False
            if (id(binding.scope), binding.name) in self._conn.names:
                return True
            return self._is_legacy_self(binding)
        if isinstance(expr, ast.Attribute):
            value = expr.value
            if expr.attr not in self._conn.spelled:
                if not (isinstance(value, ast.Name) and value.id in _SELVES):
                    self.held_in_asked[expr.attr] = False  # see below
                return False
            cls = self.self_class(value)
            if cls is not None:
                return (id(cls), expr.attr) in self._conn.attrs
            # ``self.client.ws`` where a class of the module keeps a connection in ``ws``:
            # what ``self.client`` is is not followed, the attribute's name is (a migrated
            # class would otherwise leave the read legacy, AttributeError at run time).
            if self._names_module(value):
                return False
            answer = self.held_in_asked[expr.attr] = expr.attr in self._conn.held_in
            return answer
        if isinstance(expr, (ast.Subscript, ast.Call)):
            return self._taken_from_container(expr)
        if isinstance(expr, ast.Await):
            return self._returns_connection(expr.value)
        return False

    def connection_attributes(self) -> set[str]:
        """The attributes some class of the module keeps a connection in."""
        return self._conn.held_in

    def is_connection_container(self, name: str) -> bool:
        """Is the module-level ``name`` a collection that connections are added to?"""
        return (id(self.module_scope), name) in self._conn.containers

    def is_connection_annotation(self, annotation: ast.expr | None) -> bool:
        return any(map(self.is_connection_class, self.annotated_classes(annotation)))

    def is_connection_class(self, expr: ast.expr) -> bool:
        """Does ``expr`` name a class whose instances are connections (incl. a local
        subclass of a legacy protocol class)?"""
        qualname = self.qualified_name(expr)
        if qualname is not None and qualname.canonical in names.CONNECTION_CLASSES:
            return True
        local = (
            self.local_class(expr)
            if isinstance(expr, ast.Name) and expr.id in self._connection_classes
            else None
        )
        if local is not None:
            return id(local) in self.legacy_subclasses and id(local) not in self.factory_subclasses
        return bool(self.settings.legacy_classes) and self._project_legacy_class(expr)

    def _project_legacy_class(self, expr: ast.expr) -> bool:
        """``expr`` names a legacy protocol subclass of another module of the project
        (``Settings.legacy_classes``), imported by name: ``from .protocol import Mine``."""
        if not isinstance(expr, ast.Name):
            return False
        binding = self.binding_of(expr)
        alias = binding.node if binding is not None else None
        statement = self.parent(alias) if isinstance(alias, ast.alias) else None
        if not isinstance(statement, ast.ImportFrom) or not isinstance(alias, ast.alias):
            return False
        return imports_from_project(statement, alias, self.settings.legacy_classes)

    # Seeds ----------------------------------------------------------------------------
    def _infer_connections(self) -> None:
        facts = self._conn
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
                    facts.add_name(id(self.scopes[id(function)]), arg.arg)
        for cls in self.classes:
            for stmt in cls.body:
                if (
                    isinstance(stmt, ast.AnnAssign)
                    and isinstance(stmt.target, ast.Name)
                    and self.is_connection_annotation(stmt.annotation)
                ):
                    facts.add_attr(id(cls), stmt.target.id)
        for node in self.nodes_of(ast.AnnAssign):
            if (
                isinstance(node, ast.AnnAssign)
                and not isinstance(self.parent(node), ast.ClassDef)
                and self.is_connection_annotation(node.annotation)
            ):
                self._mark_target(node.target)
        seeds += self._passed_in()
        for seed, index in seeds:
            self._mark_param(seed, index)
        for _ in range(_MAX_ROUNDS):
            before = facts.size()
            self._propagate()
            if facts.size() == before:
                break

    def _passed_in(self) -> list[tuple[FunctionNode, int]]:
        """The parameters other modules of the project give connections to (project
        index): of a top-level function, a class's ``__init__``, or a method called on the
        class (a class method is given the class first)."""
        if self.project is None or self.module_name is None:
            return []
        tops = {
            stmt.name: stmt
            for stmt in self.tree.body
            if isinstance(stmt, (*DEF_NODES, ast.ClassDef))
        }
        found: list[tuple[FunctionNode, int]] = []
        for passed in self.project.passes_for(self.module_name):
            name, _, method = passed.name.partition(".")
            top = tops.get(name)
            function: FunctionNode | None = None
            skip = 0
            if isinstance(top, DEF_NODES) and not method:
                function = top
            elif isinstance(top, ast.ClassDef):
                function = self.find_method(top, method or "__init__")
                if function is not None and (
                    not method or "classmethod" in decorator_names(function)
                ):
                    skip = 1
            if function is None:
                continue
            if passed.index is not None:
                found.append((function, passed.index + skip))
            elif passed.keyword is not None:
                self._conn.add_name(id(self.scopes[id(function)]), passed.keyword)
        return found

    def _mark_param(self, function: FunctionNode, index: int) -> None:
        params = positional_params(function.args)
        if index < len(params):
            self._conn.add_name(id(self.scopes[id(function)]), params[index].arg)

    def _mark_target(self, target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            binding = self.binding_of(target)
            scope = binding.scope if binding is not None else self.scope_of(target)
            self._conn.add_name(id(scope), target.id)
        elif isinstance(target, ast.Attribute):
            cls = self.self_class(target.value)
            if cls is not None:
                self._conn.add_attr(id(cls), target.attr)

    def _mark_property(self, function: FunctionNode) -> None:
        """A property returning a connection (systembridge's ``websocket`` returning
        ``self._websocket``) is an attribute holding one."""
        if not isinstance(function, ast.FunctionDef) or "property" not in decorator_names(function):
            return
        cls = self.enclosing_class(function)
        if cls is not None:
            self._conn.add_attr(id(cls), function.name)

    def _mark_container(self, expr: ast.expr) -> None:
        if isinstance(expr, ast.Name):
            binding = self.binding_of(expr)
            if binding is not None:
                self._conn.add_container(id(binding.scope), binding.name)
        elif isinstance(expr, ast.Attribute):
            cls = self.self_class(expr.value)
            if cls is not None:
                self._conn.add_attr(id(cls), "[]" + expr.attr)

    # Propagation -----------------------------------------------------------------------
    def _propagate(self) -> None:
        if self._propagating is None:
            self._propagating = [n for n in self.nodes_of(*_PROPAGATING) if _may_propagate(n)]
        for node in self._propagating:
            if isinstance(node, (ast.AsyncWith, ast.With)):
                for item in node.items:
                    if item.optional_vars is not None and (
                        self._is_connect_call(item.context_expr)
                        or self._is_connection_value(item.context_expr)
                    ):
                        self._mark_target(item.optional_vars)
            elif isinstance(node, (ast.AsyncFor, ast.For)):
                # ``for message in sync_connect(...)`` iterates the messages of a connection.
                if (
                    (
                        self._is_connect_call(node.iter)
                        and not self._is_sync_call(node.iter, names.SYNC_CONNECT)
                    )
                    or self._is_sync_call(node.iter, names.SYNC_RECONNECT)
                    or self._iterates_container(node.iter)
                    or (isinstance(node, ast.For) and self._iterates_entry(node.iter))
                ):
                    self._mark_target(node.target)
            elif isinstance(node, ast.comprehension):
                # ``[ws for ws in clients if ws.open]``: a container's connections.
                if not node.is_async and (
                    self._iterates_container(node.iter) or self._iterates_entry(node.iter)
                ):
                    self._mark_target(node.target)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if self._is_connection_value(node.value):
                    for target in targets:
                        self._mark_target(target)
                for target in targets:
                    if isinstance(target, ast.Subscript) and self._is_connection_value(node.value):
                        self._mark_container(_container_root(target.value))
                if isinstance(node.value, ast.Dict) and any(
                    map(self._is_connection_value, node.value.values)
                ):
                    for target in targets:
                        self._mark_container(_container_root(target))
            elif isinstance(node, ast.Call):
                self._propagate_call(node)
            elif isinstance(node, ast.Return):
                if self._is_connection_value(node.value):
                    function = self.enclosing_function(node)
                    if function is not None:
                        self._conn.returning.add(id(function))
                        self._mark_property(function)
                elif node.value is not None and self._is_connect_call(node.value):
                    function = self.enclosing_function(node)
                    if isinstance(function, ast.FunctionDef):  # not awaited in a coroutine
                        self._conn.connecting.add(id(function))

    def _taken_from_container(self, value: ast.expr) -> bool:
        """``conns[key]``, ``conns.pop()``, ``conns.popleft()``, ``conns.get(key)``: an
        entry of a container holding connections."""
        if isinstance(value, ast.Subscript):
            return self._is_container(value.value)
        return (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr in _TAKING
            and self._is_container(value.func.value)
        )

    @property
    def _entry_names(self) -> frozenset[str]:
        """The names some assignment binds to a subscript or a ``.get()`` / ``.pop()``."""
        if self._entry_names_found is None:
            found: set[str] = set()
            for node in self.nodes_of(ast.Assign):
                assert isinstance(node, ast.Assign)
                value = node.value
                if isinstance(value, ast.Subscript) or (
                    isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Attribute)
                    and value.func.attr in _TAKING
                ):
                    found.update(t.id for t in node.targets if isinstance(t, ast.Name))
            self._entry_names_found = frozenset(found)
        return self._entry_names_found

    def _iterates_entry(self, expr: ast.expr) -> bool:
        """``group`` bound to an entry of a container of connections (``group =
        subscriptions[topic]``), iterated without ``async``: a set of connections kept in a
        dict (``async for`` over one iterates a connection's messages)."""
        if not isinstance(expr, ast.Name) or expr.id not in self._entry_names:
            return False
        binding = self.binding_of(expr)
        return (
            binding is not None
            and binding.value is not None
            and self._taken_from_container(binding.value)
        )

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
        # for ws in server.websockets (legacy) / server.connections (new)
        return self._is_container(expr) or self.is_server_connections(expr)

    def _propagate_call(self, node: ast.Call) -> None:
        func = node.func
        # clients.add(ws), clients.append(ws)
        if (
            isinstance(func, ast.Attribute)
            and func.attr in {"add", "append", "appendleft", "insert"}
            and node.args
            and self._is_connection_value(node.args[-1])
        ):
            # ``subs[topic].add(ws)``: the dict of sets holds connections too.
            self._mark_container(_container_root(func.value))
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
        targets = list(self.resolve_callable(func, infer=False))
        init = self._local_init(func)
        if init is not None:
            targets.append(CallableTarget(init, 1, "class"))
        for target in targets:
            params = positional_params(target.function.args)
            for index in conn_positions:
                self._mark_param(target.function, index + target.skip)
            for keyword in conn_keywords:
                named = [*params, *target.function.args.kwonlyargs]
                if any(param.arg == keyword for param in named):
                    self._conn.add_name(id(self.scopes[id(target.function)]), keyword)
                else:
                    self._mark_popped(target.function, keyword)

    def _local_init(self, func: ast.expr) -> FunctionNode | None:
        """``__init__`` of a class of this module called as ``Cls(...)``, or as ``cls(...)``
        in one of its class methods."""
        cls = self.local_class(func)
        if cls is None and isinstance(func, ast.Name):
            cls = self._class_of_cls(func)
        if cls is None:
            return None
        for stmt in cls.body:
            if isinstance(stmt, DEF_NODES) and stmt.name == "__init__":
                return stmt
        return None

    def _class_of_cls(self, name: ast.Name) -> ast.ClassDef | None:
        """The class whose class method has ``name`` as its first parameter."""
        binding = self.binding_of(name)
        function = binding.scope.node if binding is not None else None
        if binding is None or binding.kind != "param" or not isinstance(function, DEF_NODES):
            return None
        params = positional_params(function.args)
        if not params or params[0] is not binding.node:
            return None
        if "classmethod" not in decorator_names(function):
            return None
        return self.enclosing_class(function)

    def _mark_popped(self, function: FunctionNode, keyword: str) -> None:
        """``ws = kwargs.pop("ws", None)`` (or ``.get`` / ``kwargs["ws"]``) in a function
        whose ``**kwargs`` receives the connection as ``ws=``."""
        kwarg = function.args.kwarg
        if kwarg is None or isinstance(function, ast.Lambda):
            return
        for stmt in walk(function):
            if not (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
            ):
                continue
            value = stmt.value
            key: ast.expr | None = None
            if (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Attribute)
                and value.func.attr in {"pop", "get"}
                and isinstance(value.func.value, ast.Name)
                and value.func.value.id == kwarg.arg
                and value.args
            ):
                key = value.args[0]
            elif (
                isinstance(value, ast.Subscript)
                and isinstance(value.value, ast.Name)
                and value.value.id == kwarg.arg
            ):
                key = value.slice
            if isinstance(key, ast.Constant) and key.value == keyword:
                self._mark_target(stmt.targets[0])

    # Helpers ---------------------------------------------------------------------------
    def _names_module(self, expr: ast.expr) -> bool:
        """Whether ``expr`` is a name an import binds (``config.ws`` reads a module's)."""
        if not isinstance(expr, ast.Name):
            return False
        binding = self.binding_of(expr)
        return binding is not None and binding.kind == "import"

    def _is_legacy_self(self, binding: Binding) -> bool:
        """``self`` in a method of a legacy protocol subclass is a connection."""
        known = self._legacy_self.get(id(binding))
        if known is None:
            known = self._legacy_self[id(binding)] = self._find_legacy_self(binding)
        return known

    def _find_legacy_self(self, binding: Binding) -> bool:
        function = binding.scope.node
        if binding.kind != "param" or not isinstance(function, DEF_NODES):
            return False
        params = positional_params(function.args)
        if not params or params[0] is not binding.node:
            return False
        cls = self.enclosing_class(function)
        if cls is None or id(cls) not in self.legacy_subclasses:
            return False
        if id(cls) in self.factory_subclasses:
            return False  # a ``connect`` / ``serve`` subclass makes connections, is none
        return not decorator_names(function) & {"staticmethod", "classmethod"}

    def _is_container(self, expr: ast.expr) -> bool:
        if isinstance(expr, ast.Subscript):
            # ``conns[name]["websocket"]``: an entry of a container holding connections.
            return self._is_container(expr.value)
        if isinstance(expr, ast.Name):
            if expr.id not in self._conn.spelled:
                return False
            binding = self.binding_of(expr)
            return binding is not None and (id(binding.scope), binding.name) in (
                self._conn.containers
            )
        if isinstance(expr, ast.Attribute):
            if "[]" + expr.attr not in self._conn.spelled:
                return False
            cls = self.self_class(expr.value)
            return cls is not None and (id(cls), "[]" + expr.attr) in self._conn.attrs
        return False

    def _returns_connection(self, call: ast.expr) -> bool:
        if not isinstance(call, ast.Call):
            return False
        if self._is_connect_call(call):
            return True
        if not self._conn.returning:
            return False
        for target in self.resolve_callable(call.func, infer=False):
            if id(target.function) in self._conn.returning:
                return True
        return False

    def _is_connect_call(self, expr: ast.expr) -> bool:
        if not isinstance(expr, ast.Call):
            return False
        qualname = self.qualified_name(expr.func)
        if qualname is not None and qualname.canonical in names.CONNECT | names.SYNC_CONNECT:
            return True
        partial = self.partial_site(expr.func)
        if partial is not None and partial.family == "connect":
            return True
        if self._connect_by_default(expr.func):
            return True
        # asyncio.wait_for(connect(...), timeout)
        if (
            isinstance(expr.func, ast.Attribute)
            and expr.func.attr == "wait_for"
            and expr.args
            and isinstance(expr.args[0], ast.Call)
        ):
            return self._is_connect_call(expr.args[0])
        if self._conn.connecting:
            return any(
                id(target.function) in self._conn.connecting
                for target in self.resolve_callable(expr.func, infer=False)
            )
        return False

    def _connect_by_default(self, func: ast.expr) -> bool:
        """``connector(...)`` / ``self._connector(...)`` where ``connector`` is a parameter
        whose default is ``connect`` (``def __init__(self, connector=websockets.connect)``
        then ``self._connector = connector``)."""
        if isinstance(func, ast.Name):
            return self._defaults_to_connect(func)
        if isinstance(func, ast.Attribute):
            owner = self.self_class(func.value)
            if owner is None:
                return False
            assigned = self.attribute_values(owner).get(func.attr, [])
            return any(isinstance(a, ast.Name) and self._defaults_to_connect(a) for a in assigned)
        return False

    def _defaults_to_connect(self, name: ast.Name) -> bool:
        binding = self.binding_of(name)
        if binding is None or binding.kind != "param":
            return False
        function = binding.scope.node
        if not isinstance(function, DEF_NODES):
            return False
        arguments = function.args
        positional = [*arguments.posonlyargs, *arguments.args]
        pairs = list(
            zip(positional[len(positional) - len(arguments.defaults) :], arguments.defaults)
        )
        pairs += [(a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d]
        for arg, default in pairs:
            if arg.arg == name.id and default is not None:
                qualname = self.qualified_name(default)
                return qualname is not None and qualname.canonical in names.CONNECT
        return False

    def _is_connection_value(self, value: ast.expr | None) -> bool:
        """A value whose result is a connection: ``await connect()``, another connection."""
        kind = value.__class__
        if value is None or kind not in _MAY_BE_CONNECTION:
            return False  # a constant, a literal, an operation...
        if kind is not ast.Call and kind is not ast.Await:
            return self.is_connection(value)  # what the rest asks only of calls and awaits
        if isinstance(value, ast.Await):
            return self._returns_connection(value.value)
        if isinstance(value, ast.Call) and self.is_connection_class(value.func):
            return True  # an instance of a legacy protocol class (or subclass)
        if self._is_sync_call(value, names.SYNC_CONNECT):
            return True  # the threading connect() returns the connection, not awaited
        if (
            isinstance(value, ast.Call)
            and self._is_typing_cast(value.func)
            and value.args
            and self.is_connection_annotation(value.args[0])
        ):
            return True  # typing.cast(WebSocketClientProtocol, x): typed as a connection
        return self.is_connection(value)

    def _is_sync_call(self, expr: ast.expr, wanted: frozenset[str]) -> bool:
        if not isinstance(expr, ast.Call):
            return False
        qualname = self.qualified_name(expr.func)
        return qualname is not None and qualname.canonical in wanted

    def _is_typing_cast(self, func: ast.expr) -> bool:
        """``cast`` imported from ``typing`` / ``typing_extensions``, or ``typing.cast``."""
        modules = {"typing", "typing_extensions"}
        if isinstance(func, ast.Name):
            if func.id not in self.import_bound:
                return False
            binding = self.binding_of(func)
            return (
                binding is not None
                and binding.kind == "import"
                and binding.imported in {f"{m}.cast" for m in modules}
            )
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "cast"
            and isinstance(func.value, ast.Name)
        ):
            binding = self.binding_of(func.value)
            return binding is not None and binding.kind == "import" and binding.imported in modules
        return False

    # Narrowing -------------------------------------------------------------------------
    def _find_narrowing(self) -> None:
        """``if isinstance(x, WebSocketClientProtocol): x.open``: ``x`` is a connection in
        the branch (and after ``assert isinstance(...)`` or ``if not isinstance(...):
        return``, in the rest of the block)."""
        for node in self.nodes_of(ast.If, ast.IfExp, ast.BoolOp, ast.Assert):
            if isinstance(node, (ast.If, ast.IfExp)):
                name = self._narrowed_name(node.test)
                if name is not None:
                    body = node.body if isinstance(node.body, list) else [node.body]
                    self._narrow(name, body)
                negated = self._negated_check(node.test)
                if negated is not None and isinstance(node, ast.If) and exits(node.body):
                    self._narrow(negated, self.block_after(node))
            elif isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
                for index, value in enumerate(node.values[:-1]):
                    name = self._narrowed_name(value)
                    if name is not None:
                        self._narrow(name, node.values[index + 1 :])
            elif isinstance(node, ast.Assert):
                name = self._narrowed_name(node.test)
                if name is not None:
                    self._narrow(name, self.block_after(node))

    def _narrowed_name(self, test: ast.expr) -> str | None:
        """``x`` when ``test`` is ``isinstance(x, <connection class or a tuple with one>)``."""
        tested = isinstance_test(test)
        if tested is not None:
            name, classes = tested
            elts = classes.elts if isinstance(classes, ast.Tuple) else [classes]
            if any(self.is_connection_class(e) for e in elts):
                return name
        return None

    def _negated_check(self, test: ast.expr) -> str | None:
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self._narrowed_name(test.operand)
        return None

    def _narrow(self, name: str, nodes: list[ast.stmt] | list[ast.expr]) -> None:
        for root in nodes:
            for node in walk(root):
                if isinstance(node, ast.Name) and node.id == name:
                    if not isinstance(node.ctx, ast.Load):
                        return  # reassigned: what follows may be something else
                    self._narrowed.add(id(node))
