"""Callbacks: the connection handler, ``process_request``, ``select_subprotocol`` and
``process_response`` functions a ``serve()`` call or a legacy protocol subclass uses,
and the classes that subclass legacy websockets classes."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from lint_plugin import names
from lint_plugin.semantic.bindings import QualifiedName
from lint_plugin.semantic.callables import CallableTarget
from lint_plugin.semantic.calls import Calls, CallSite
from lint_plugin.semantic.syntax import DEF_NODES, is_static
from lint_plugin.settings import Settings

if TYPE_CHECKING:
    from lint_plugin.semantic.project import ProjectIndex

Role = Literal["handler", "process_request", "select_subprotocol", "process_response"]

_SERVE_CALLBACKS = ("process_request", "select_subprotocol", "process_response")
_OVERRIDDEN_CALLBACKS = ("process_request", "select_subprotocol")


@dataclass(eq=False)
class Callback:
    role: Role
    target: CallableTarget
    site: CallSite | None
    """``None`` for methods overridden in a legacy protocol subclass."""


class Callbacks(Calls):
    project: ProjectIndex | None = None
    """What the other modules of the project do with this one's definitions."""
    module_name: str | None = None
    """This module's qualified name in the project index."""

    def __init__(self, tree: ast.Module, source: str, settings: Settings) -> None:
        super().__init__(tree, source, settings)
        self.factory_subclasses: dict[int, ast.ClassDef] = {}
        self.legacy_subclasses: dict[int, ast.ClassDef] = self._find_legacy_subclasses()
        self.callbacks: list[Callback] = self._find_callbacks()

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
                if keyword.arg in _SERVE_CALLBACKS:
                    for target in self.resolve_callable(keyword.value):
                        callbacks.append(Callback(keyword.arg, target, site))  # type: ignore[arg-type]
        callbacks.extend(self._sync_handlers())
        callbacks.extend(self._remote_handlers())
        for cls in self.legacy_subclasses.values():
            for stmt in cls.body:
                if isinstance(stmt, DEF_NODES) and stmt.name in _OVERRIDDEN_CALLBACKS:
                    # A staticmethod receives no ``self`` / ``cls`` to skip.
                    skip = 0 if is_static(stmt) else 1
                    callbacks.append(
                        Callback(stmt.name, CallableTarget(stmt, skip, "method"), None)  # type: ignore[arg-type]
                    )
        return callbacks

    def _sync_handlers(self) -> list[Callback]:
        """Handlers of the threading ``serve()`` (``websockets.sync.server``): called with
        the connection only, like the new asyncio one. The call is not one of
        ``call_sites`` (no rule rewrites its arguments); its site says it is not legacy."""
        callbacks: list[Callback] = []
        for node, qualname in self.qualified_calls:
            if qualname.canonical not in names.SYNC_SERVE:
                continue
            site = CallSite(node, qualname, "serve", False)
            handler = site.positional(0)
            for keyword in node.keywords:
                if keyword.arg == "handler":
                    handler = keyword.value
            if handler is not None:
                for target in self.resolve_callable(handler):
                    callbacks.append(Callback("handler", target, site))
        return callbacks

    def _remote_handlers(self) -> list[Callback]:
        """Top-level functions another module of the project passes to ``serve()`` as its
        handler (only handlers: the fixes of the other callbacks edit the call site)."""
        if self.project is None or self.module_name is None:
            return []
        wanted = {
            use.name
            for use in self.project.callbacks_for(self.module_name)
            if use.role == "handler"
        }
        return [
            Callback("handler", CallableTarget(stmt, 0, "imported by another module"), None)
            for stmt in self.tree.body
            if isinstance(stmt, DEF_NODES) and stmt.name in wanted
        ]

    def _find_legacy_subclasses(self) -> dict[int, ast.ClassDef]:
        """Classes deriving from a legacy class, directly or through classes of the module;
        those deriving from a legacy ``connect`` / ``serve`` go in ``factory_subclasses``
        too."""
        found: dict[int, ast.ClassDef] = {}
        factories = self.factory_subclasses
        changed = True
        while changed:
            changed = False
            for cls in self.classes:
                if id(cls) in found:
                    continue
                for base in cls.bases:
                    local = self.local_class(base)
                    inherited = local is not None and id(local) in found
                    if not inherited and self._legacy_class(base) is None:
                        continue
                    found[id(cls)] = cls
                    if self.factory_base(base) is not None or (
                        local is not None and id(local) in factories
                    ):
                        factories[id(cls)] = cls
                    changed = True
                    break
        return found

    def legacy_base(self, cls: ast.ClassDef) -> ast.expr | None:
        """The base-class expression that names a legacy class directly."""
        for base in cls.bases:
            if self._legacy_class(base) is not None:
                return base
        return None

    def _legacy_class(self, base: ast.expr) -> QualifiedName | None:
        qualname = self.qualified_name(base)
        if qualname is not None and qualname.canonical in names.LEGACY_CLASSES:
            return qualname
        return self.factory_base(base)
