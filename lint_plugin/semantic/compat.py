"""Compatibility regions: code written to run on several websockets versions (import
fallbacks, ``TypeError`` fallbacks, version guards), where the rules must stay silent."""

from __future__ import annotations

import ast

from lint_plugin import names
from lint_plugin.astwalk import walk
from lint_plugin.semantic.bindings import Bindings
from lint_plugin.semantic.syntax import IMPORT_ERRORS, TRY_NODES, Span, caught_names, exits, span
from lint_plugin.settings import Settings


class CompatRegions(Bindings):
    def __init__(self, tree: ast.Module, source: str, settings: Settings) -> None:
        super().__init__(tree, source, settings)
        self.compat_regions: list[Span] = self._find_compat_regions()

    def _find_compat_regions(self) -> list[Span]:
        regions = []
        for node in self.nodes_of(*TRY_NODES, ast.If, ast.IfExp, ast.While):
            if isinstance(node, TRY_NODES):
                for handler in node.handlers:  # type: ignore[attr-defined]
                    if self._is_compat_handler(node, handler):
                        regions.append(span(handler))
            elif isinstance(node, (ast.If, ast.IfExp, ast.While)) and self._is_version_guard(
                node.test
            ):
                regions.append(span(node))
                if isinstance(node, ast.If) and not node.orelse and exits(node.body):
                    # ``if new_enough: return ...`` guards the rest of the block too.
                    siblings = self.block_after(node)
                    if siblings:
                        regions.append((span(siblings[0])[0], span(siblings[-1])[1]))
        return regions

    def _is_compat_handler(self, node: ast.AST, handler: ast.ExceptHandler) -> bool:
        caught = caught_names(handler.type)
        body: list[ast.stmt] = getattr(node, "body", [])
        if caught & IMPORT_ERRORS:
            return any(
                self._imports_new_api(stmt) for body_stmt in body for stmt in walk(body_stmt)
            )
        if "TypeError" in caught:
            return any(
                isinstance(n, ast.Call) and self._is_websockets_call(n)
                for body_stmt in body
                for n in walk(body_stmt)
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
        for node in walk(test):
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
                and (
                    self.qualified_name(node.args[0]) is not None
                    or _tests_a_connection_feature(node.args)
                )
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
        for node in walk(binding.value):
            if isinstance(node, (ast.Name, ast.Attribute)):
                qualname = self.qualified_name(node)
                if qualname is not None and (
                    qualname.canonical in names.VERSION_NAMES
                    or qualname.canonical.endswith(".__version__")
                ):
                    return True
        return False


#: Members only one connection implementation has, whose test tells which one runs:
#: ``ws.request.path if hasattr(ws, "request") else ws.path``.
_FEATURES = frozenset({"request", "response", "state", "request_headers", "response_headers"})


def _tests_a_connection_feature(arguments: list[ast.expr]) -> bool:
    return (
        len(arguments) == 2
        and isinstance(arguments[1], ast.Constant)
        and arguments[1].value in _FEATURES
    )


def _is_old_path(path: str) -> bool:
    if path == "legacy" or path.startswith("legacy."):
        return True
    entry = names.DEPRECATION_BY_PATH.get(path)
    return entry is not None or path.partition(".")[0] in {"auth", "connection", "http"}
