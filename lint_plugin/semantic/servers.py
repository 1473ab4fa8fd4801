"""Which expressions are websockets servers: what ``await serve(...)``,
``async with serve(...) as server`` and ``loop.run_until_complete(serve(...))`` return,
and names annotated with a server class."""

from __future__ import annotations

import ast

from lint_plugin import names
from lint_plugin.semantic.callbacks import Callbacks
from lint_plugin.settings import Settings

#: The attribute holding a server's open connections: the legacy server's set, and the new
#: server's property.
CONNECTION_SETS = frozenset({"websockets", "connections"})


class Servers(Callbacks):
    def __init__(self, tree: ast.Module, source: str, settings: Settings) -> None:
        super().__init__(tree, source, settings)
        self._server_names: set[tuple[int, str]] = set()
        """(id of the scope, name) of the names bound to a server."""
        self._server_attrs: set[tuple[int, str]] = set()
        """(id of the class, attribute) of ``self.attr = <a server>``."""
        self._runs: dict[int, list[ast.Call]] | None = None
        self._servers_found = False
        """Found when first asked: most modules read no ``.websockets`` / ``.connections``."""

    def is_server(self, expr: ast.AST) -> bool:
        """Is ``expr`` a server that ``serve()`` started (legacy or new)?"""
        if not self._servers_found:
            self._servers_found = True
            self._find_servers()
        if isinstance(expr, ast.Name):
            binding = self.binding_of(expr)
            return binding is not None and (id(binding.scope), expr.id) in self._server_names
        if isinstance(expr, ast.Attribute):
            cls = self.self_class(expr.value)
            return cls is not None and (id(cls), expr.attr) in self._server_attrs
        return False

    def is_server_connections(self, expr: ast.AST) -> bool:
        """``server.websockets`` / ``server.connections``: a server's open connections."""
        return (
            isinstance(expr, ast.Attribute)
            and expr.attr in CONNECTION_SETS
            and self.is_server(expr.value)
        )

    def _find_servers(self) -> None:
        for site in self.call_sites:
            if site.family == "serve" and not site.partial:
                self._bind_result(site.node)
        for node in self.nodes_of(ast.AnnAssign):
            assert isinstance(node, ast.AnnAssign)
            if self._is_server_annotation(node.annotation):
                self._mark(node.target)
        for function in self.functions:
            arguments = function.args
            for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
                if self._is_server_annotation(arg.annotation):
                    self._server_names.add((id(self.scopes[id(function)]), arg.arg))

    def _bind_result(self, call: ast.Call) -> None:
        """Mark what the server a ``serve()`` call starts is bound to."""
        parent = self.parent(call)
        if isinstance(parent, ast.withitem):
            if parent.optional_vars is not None:
                self._mark(parent.optional_vars)
            return
        if isinstance(parent, ast.Await):
            self._assigned(parent)
            return
        if isinstance(parent, ast.Call) and _runs_until_complete(parent, call):
            self._assigned(parent)
            return
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
            # ``start = serve(...)`` then ``loop.run_until_complete(start)``.
            binding = self.binding_made_by(parent.targets[0])
            for run in self._runs_of().get(id(binding), ()) if binding is not None else ():
                self._assigned(run)

    def _runs_of(self) -> dict[int, list[ast.Call]]:
        """``loop.run_until_complete(name)`` calls, by the binding of ``name``: found once."""
        if self._runs is None:
            self._runs = {}
            for node in self.nodes_of(ast.Call):
                assert isinstance(node, ast.Call)
                argument = node.args[0] if node.args else None
                if isinstance(argument, ast.Name) and _runs_until_complete(node, argument):
                    binding = self.binding_of(argument)
                    if binding is not None:
                        self._runs.setdefault(id(binding), []).append(node)
        return self._runs

    def _assigned(self, value: ast.expr) -> None:
        parent = self.parent(value)
        if isinstance(parent, ast.Assign):
            for target in parent.targets:
                self._mark(target)
        elif isinstance(parent, ast.AnnAssign) and parent.value is value:
            self._mark(parent.target)

    def _mark(self, target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            binding = self.binding_made_by(target)
            scope = binding.scope if binding is not None else self.scope_of(target)
            self._server_names.add((id(scope), target.id))
        elif isinstance(target, ast.Attribute):
            cls = self.self_class(target.value)
            if cls is not None:
                self._server_attrs.add((id(cls), target.attr))

    def _is_server_annotation(self, annotation: ast.expr | None) -> bool:
        for named in self.annotated_classes(annotation):
            qualname = self.qualified_name(named)
            if qualname is not None and qualname.canonical in names.SERVER_CLASSES:
                return True
        return False


def _runs_until_complete(call: ast.Call, argument: ast.expr) -> bool:
    """``loop.run_until_complete(argument)`` (or ``asyncio.run``'s older spelling)."""
    return (
        isinstance(call.func, ast.Attribute)
        and call.func.attr == "run_until_complete"
        and bool(call.args)
        and call.args[0] is argument
    )
