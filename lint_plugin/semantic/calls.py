"""Calls and the arguments that reach them: every ``connect()`` / ``serve()`` / legacy
protocol call and each argument passed to it by name, directly or through ``**opts``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from lint_plugin import names
from lint_plugin.semantic.bindings import Bindings, QualifiedName
from lint_plugin.settings import Settings

Family = Literal["connect", "serve", "protocol"]


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


class Calls(Bindings):
    """The websockets calls of the module and the keyword arguments reaching them."""

    def __init__(self, tree: ast.Module, source: str, settings: Settings) -> None:
        super().__init__(tree, source, settings)
        self.call_sites: list[CallSite] = self._find_call_sites()

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
            yield from dict_keys(value)
            return
        if isinstance(value, ast.Call) and is_dict_call(value):
            yield from dict_call_keys(value)
            return
        if not isinstance(value, ast.Name):
            return
        binding = self.binding_of(value)
        if binding is None:
            return
        if binding.kind == "assign" and binding.value is not None:
            if isinstance(binding.value, ast.Dict):
                yield from dict_keys(binding.value)
            elif isinstance(binding.value, ast.Call) and is_dict_call(binding.value):
                yield from dict_call_keys(binding.value)
        # Keys added later in the same scope before the call.
        yield from added_keys(binding.scope.node, value.id, call.lineno)


def added_keys(scope_node: ast.AST, name: str, before_line: int) -> Iterator[KeywordArg]:
    """Keys added to the dict ``name`` in ``scope_node`` up to ``before_line``:
    ``name.setdefault("k", v)``, ``name["k"] = v``, ``name.update(k=v)``."""
    for node in ast.walk(scope_node):
        if getattr(node, "lineno", 0) > before_line:
            continue
        if isinstance(node, ast.Call) and _is_method_of(node, name, {"setdefault", "__setitem__"}):
            key = node.args[0] if node.args else None
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                arg_value = node.args[1] if len(node.args) > 1 else None
                yield KeywordArg(key.value, arg_value, node, "setdefault")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == name
                    and isinstance(target.slice, ast.Constant)
                    and isinstance(target.slice.value, str)
                ):
                    yield KeywordArg(target.slice.value, node.value, target, "subscript")
        elif isinstance(node, ast.Call) and _is_method_of(node, name, {"update"}):
            for keyword in node.keywords:
                if keyword.arg is not None:
                    yield KeywordArg(keyword.arg, keyword.value, keyword, "dict")
            for arg in node.args:
                if isinstance(arg, ast.Dict):
                    yield from dict_keys(arg)


def _is_method_of(call: ast.Call, name: str, methods: set[str]) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr in methods
        and isinstance(func.value, ast.Name)
        and func.value.id == name
    )


def dict_keys(value: ast.Dict) -> Iterator[KeywordArg]:
    for key, item in zip(value.keys, value.values):
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            yield KeywordArg(key.value, item, key, "dict")


def is_dict_call(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Name) and call.func.id == "dict"


def dict_call_keys(call: ast.Call) -> Iterator[KeywordArg]:
    for keyword in call.keywords:
        if keyword.arg is not None:
            yield KeywordArg(keyword.arg, keyword.value, keyword, "dict")
