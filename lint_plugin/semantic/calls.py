"""Calls and the arguments that reach them: every ``connect()`` / ``serve()`` / legacy
protocol call and each argument passed to it by name, directly or through ``**opts``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from lint_plugin import names
from lint_plugin.astwalk import walk
from lint_plugin.semantic.bindings import QualifiedName
from lint_plugin.semantic.callables import Callables
from lint_plugin.semantic.syntax import DEF_NODES
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
    partial: bool = False
    """``functools.partial(connect, ...)``: the call binds arguments of the first one."""

    @property
    def callee(self) -> ast.expr:
        """What is called: ``connect`` in ``connect(...)`` and ``partial(connect, ...)``."""
        return self.node.args[0] if self.partial else self.node.func

    def positional(self, index: int) -> ast.expr | None:
        args = [a for a in self.node.args if not isinstance(a, ast.Starred)]
        index += self.partial
        return args[index] if index < len(args) else None


class Calls(Callables):
    """The websockets calls of the module and the keyword arguments reaching them."""

    def __init__(self, tree: ast.Module, source: str, settings: Settings) -> None:
        super().__init__(tree, source, settings)
        self._keyword_args: dict[int, tuple[ast.Call, list[KeywordArg]]] = {}
        self.qualified_calls: list[tuple[ast.Call, QualifiedName]] = [
            (node, qualname)
            for node in self.nodes_of(ast.Call)
            if isinstance(node, ast.Call)
            and (qualname := self.qualified_name(node.func)) is not None
        ]
        """The calls of a target-module object, in ``nodes`` order, and what each calls."""
        self.call_sites: list[CallSite] = self._find_call_sites()
        self._partial_names = {id(site.node): site for site in self.call_sites if site.partial}
        self.inherited_call_sites: list[CallSite] = self._find_inherited_call_sites()
        """``super().__init__(...)`` in subclasses of a legacy ``connect`` / ``serve``: the
        arguments reach the legacy call, but the call itself is not one to rewrite."""

    def _find_call_sites(self) -> list[CallSite]:
        """The calls, in ``nodes`` order (units name a unit's first call after it)."""
        qualified = {id(node): qualname for node, qualname in self.qualified_calls}
        sites = []
        for call in self.nodes_of(ast.Call):
            assert isinstance(call, ast.Call)
            qualname = qualified.get(id(call)) or self._subclass_factory(call.func)
            if qualname is not None:
                site = self._classify_call(call, qualname)
                if site is not None:
                    sites.append(site)
            elif call.args and not isinstance(call.args[0], ast.Starred):
                # ``functools.partial(websockets.connect, extra_headers=...)``: its arguments
                # reach connect(), and moving connect() moves them (``units``).
                wrapped = self.qualified_name(call.args[0])
                if wrapped is not None and self._is_partial(call.func):
                    site = self._classify_call(call, wrapped)
                    if site is not None and site.family != "protocol":
                        site.partial = True
                        sites.append(site)
        return sites

    def partial_site(self, func: ast.expr) -> CallSite | None:
        """The ``partial(connect, ...)`` a name bound once holds (``open_ws = partial(...)``
        then ``open_ws(uri)``)."""
        if not isinstance(func, ast.Name) or not self._partial_names:
            return None
        binding = self.binding_of(func)
        if binding is None or binding.kind != "assign" or binding.value is None:
            return None
        if len(binding.scope.bindings.get(binding.name, ())) != 1:
            return None
        return self._partial_names.get(id(binding.value))

    def _find_inherited_call_sites(self) -> list[CallSite]:
        sites = []
        for cls in self.classes:
            base = next((b for b in map(self.factory_base, cls.bases) if b is not None), None)
            if base is None:
                continue
            for stmt in cls.body:
                if not isinstance(stmt, DEF_NODES):
                    continue
                for node in walk(stmt):
                    if isinstance(node, ast.Call) and _is_super_init(node):
                        site = self._classify_call(node, base)
                        if site is not None:
                            sites.append(site)
        return sites

    def _subclass_factory(
        self, func: ast.expr, _seen: frozenset[int] = frozenset()
    ) -> QualifiedName | None:
        """The legacy ``Connect`` / ``Serve`` that a call of a module class deriving from it
        makes, when no class on the way defines ``__init__``: its arguments are the legacy
        call's (``class MyConnect(Connect): ...`` then ``MyConnect(uri, extra_headers=h)``)."""
        cls = self.local_class(func)
        if cls is None or id(cls) in _seen or self.find_method(cls, "__init__") is not None:
            return None
        for base in cls.bases:
            found = self.factory_base(base) or self._subclass_factory(base, _seen | {id(cls)})
            if found is not None:
                return found
        return None

    def factory_base(self, base: ast.expr) -> QualifiedName | None:
        """The legacy ``connect`` / ``Connect`` / ``serve`` / ``Serve`` a base names (the
        top-level ``connect`` / ``serve`` are those before 14.0)."""
        qualname = self.qualified_name(base)
        if qualname is None:
            return None
        if qualname.canonical in names.LEGACY_FACTORIES:
            return qualname
        if qualname.canonical in names.TOP_CONNECT | names.TOP_SERVE and (
            self.target_version < (14, 0)
        ):
            return qualname
        return None

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
        """Every argument that reaches ``site`` by name, incl. through ``**opts``: found once
        per call (each WSU4xx rule asks of every call); not to be modified."""
        # The node is kept with its answer: an id reused by a later node cannot hit.
        known = self._keyword_args.get(id(site.node))
        if known is not None and known[0] is site.node:
            return known[1]
        found: list[KeywordArg] = []
        for keyword in site.node.keywords:
            if keyword.arg is not None:
                found.append(KeywordArg(keyword.arg, keyword.value, keyword, "keyword"))
                continue
            found.extend(self._splatted(keyword.value, site.node))
        self._keyword_args[id(site.node)] = (site.node, found)
        return found

    def _splatted(self, value: ast.expr, call: ast.Call) -> Iterator[KeywordArg]:
        if isinstance(value, ast.Dict) or (isinstance(value, ast.Call) and is_dict_call(value)):
            yield from _literal_keys(value)
            return
        if isinstance(value, ast.Attribute):
            yield from self._attribute_keys(value, call)
            return
        if isinstance(value, ast.Call):
            yield from self._returned_keys(value)
            return
        if not isinstance(value, ast.Name):
            return
        binding = self.binding_of(value)
        if binding is None:
            return
        if binding.kind == "assign" and binding.value is not None:
            bound = binding.value
            if isinstance(bound, ast.Call) and not is_dict_call(bound):
                yield from self._returned_keys(bound)  # ``args = self.connection_args()``
            else:
                yield from _literal_keys(bound)
        # Keys added later in the same scope before the call.
        yield from added_keys(binding.scope.node, value.id, call.lineno)

    def open_mappings(self, site: CallSite) -> list[ast.expr]:
        """The ``**mapping`` arguments of ``site`` whose keys are not all known here: a
        parameter, a mapping from elsewhere, or one that gets keys no rule can read."""
        return [
            keyword.value
            for keyword in site.node.keywords
            if keyword.arg is None and not self._closed(keyword.value, site.node)
        ]

    def _closed(self, value: ast.expr, call: ast.Call) -> bool:
        """Every key of the mapping ``value`` is one ``_splatted`` reads."""
        if isinstance(value, ast.Dict):
            return _constant_keys(value)
        if isinstance(value, ast.Call) and is_dict_call(value):
            return not value.args and all(k.arg is not None for k in value.keywords)
        if isinstance(value, ast.Name):
            binding = self.binding_of(value)
            if binding is None or binding.kind != "assign" or binding.value is None:
                return False
            if len(binding.scope.bindings.get(binding.name, ())) != 1:
                return False
            return self._closed(binding.value, call) and not _opened(
                binding.scope.node, value.id, call.lineno
            )
        if isinstance(value, ast.Attribute):
            owner = self.self_class(value.value)
            if owner is None:
                return False
            assigned = self.attribute_values(owner).get(value.attr, [])
            if not assigned or not all(self._closed(item, call) for item in assigned):
                return False
            return not any(
                _opened(stmt, f"{stmt.args.args[0].arg}.{value.attr}", _last_line(stmt))
                for stmt in owner.body
                if isinstance(stmt, DEF_NODES) and stmt.args.args
            )
        return False

    def _attribute_keys(self, value: ast.Attribute, call: ast.Call) -> Iterator[KeywordArg]:
        """``**self._params``: the dicts the class's methods assign to ``self._params``,
        and the keys they add to it."""
        owner = self.self_class(value.value)
        if owner is None:
            return
        for assigned in self.attribute_values(owner).get(value.attr, []):
            for each in _alternatives(assigned):
                if isinstance(each, ast.Name):
                    yield from self._named_keys(each, owner)
                else:
                    yield from _literal_keys(each)
        for stmt in owner.body:
            if isinstance(stmt, DEF_NODES) and stmt.args.args:
                own = stmt.args.args[0].arg
                yield from added_keys(stmt, f"{own}.{value.attr}", _last_line(stmt))

    def _named_keys(self, name: ast.Name, owner: ast.ClassDef) -> Iterator[KeywordArg]:
        """``self._params = DEFAULTS``: a dict bound once to that name (module level);
        ``self._options = options``, a parameter of ``__init__``: the dicts the module's
        calls of the class pass for it (bittensor-cli's ``Websocket(url, options={...})``)."""
        binding = self.binding_of(name)
        if binding is None or len(binding.scope.bindings.get(binding.name, ())) != 1:
            return
        if binding.kind == "assign" and binding.value is not None:
            yield from _literal_keys(binding.value)
            return
        init = binding.scope.node
        if binding.kind != "param" or not (
            isinstance(init, DEF_NODES) and init.name == "__init__" and init in owner.body
        ):
            return
        params = [arg.arg for arg in init.args.args[1:]]
        for call in self.nodes_of(ast.Call):
            assert isinstance(call, ast.Call)
            if self.local_class(call.func) is not owner:
                continue
            passed = [k.value for k in call.keywords if k.arg == name.id]
            if name.id in params and params.index(name.id) < len(call.args):
                passed.append(call.args[params.index(name.id)])
            for argument in passed:
                yield from _literal_keys(argument)

    def _returned_keys(self, value: ast.Call) -> Iterator[KeywordArg]:
        """``**self._options()`` / ``**options()``: the dict a function of the module
        returns (a literal, ``dict(...)``, or a local dict and the keys added to it)."""
        if isinstance(value.func, ast.Name) and value.func.id == "dict":
            return
        for target in self.resolve_callable(value.func, infer=False):
            if isinstance(target.function, ast.Lambda):
                continue
            for node in walk(target.function):
                if not isinstance(node, ast.Return) or node.value is None:
                    continue
                if self.enclosing_function(node) is not target.function:
                    continue
                if isinstance(node.value, ast.Name):
                    name = node.value.id
                    binding = self.binding_of(node.value)
                    if binding is not None and isinstance(binding.value, ast.Dict):
                        yield from dict_keys(binding.value)
                    yield from added_keys(target.function, name, node.lineno)
                else:
                    yield from _literal_keys(node.value)


def added_keys(scope_node: ast.AST, name: str, before_line: int) -> Iterator[KeywordArg]:
    """Keys added to the dict ``name`` (a name, or ``self.attr``) in ``scope_node`` up to
    ``before_line``: ``name.setdefault("k", v)``, ``name["k"] = v``, ``name.update(k=v)``."""
    return (key for key in _additions(scope_node, name, before_line) if key is not None)


def _opened(scope_node: ast.AST, name: str, before_line: int) -> bool:
    """Keys ``added_keys`` cannot read are added to the dict ``name`` in ``scope_node`` up
    to ``before_line``: ``name.update(other)``, ``name[key] = v``, ``name |= other``."""
    return any(key is None for key in _additions(scope_node, name, before_line))


def _additions(scope_node: ast.AST, name: str, before_line: int) -> Iterator[KeywordArg | None]:
    """What is added to the dict ``name`` in ``scope_node`` up to ``before_line``: each key
    as written, ``None`` for keys that cannot be read (a key or a mapping from elsewhere)."""
    for node in walk(scope_node):
        if getattr(node, "lineno", 0) > before_line:
            continue
        if isinstance(node, ast.Call) and _is_method_of(node, name, {"setdefault", "__setitem__"}):
            key = node.args[0] if node.args else None
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                arg_value = node.args[1] if len(node.args) > 1 else None
                yield KeywordArg(key.value, arg_value, node, "setdefault")
            else:
                yield None
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and _dotted(target.value) == name:
                    key = target.slice
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        yield KeywordArg(key.value, node.value, target, "subscript")
                    else:
                        yield None
        elif isinstance(node, ast.Call) and _is_method_of(node, name, {"update"}):
            for keyword in node.keywords:
                yield (
                    None
                    if keyword.arg is None
                    else KeywordArg(keyword.arg, keyword.value, keyword, "dict")
                )
            for arg in node.args:
                if isinstance(arg, ast.Dict):
                    yield from dict_keys(arg)
                if not (isinstance(arg, ast.Dict) and _constant_keys(arg)):
                    yield None
        elif isinstance(node, ast.AugAssign) and _dotted(node.target) == name:
            yield None


def _is_method_of(call: ast.Call, name: str, methods: set[str]) -> bool:
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in methods and _dotted(func.value) == name


def _dotted(expr: ast.expr) -> str | None:
    """``a`` or ``a.b`` as written; ``None`` for anything else."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        return f"{expr.value.id}.{expr.attr}"
    return None


def _is_super_init(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "__init__"
        and isinstance(func.value, ast.Call)
        and isinstance(func.value.func, ast.Name)
        and func.value.func.id == "super"
    )


def _last_line(stmt: ast.stmt) -> int:
    return stmt.end_lineno or stmt.lineno


def dict_keys(value: ast.Dict) -> Iterator[KeywordArg]:
    for key, item in zip(value.keys, value.values):
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            yield KeywordArg(key.value, item, key, "dict")


def _alternatives(value: ast.expr) -> list[ast.expr]:
    """The values ``value`` may be: both sides of ``a if c else b`` and of ``a or b``."""
    if isinstance(value, ast.IfExp):
        return [*_alternatives(value.body), *_alternatives(value.orelse)]
    if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
        return [each for operand in value.values for each in _alternatives(operand)]
    return [value]


def _literal_keys(value: ast.expr) -> Iterator[KeywordArg]:
    """The keys of a dict display or ``dict(...)`` call; nothing for anything else."""
    if isinstance(value, ast.Dict):
        yield from dict_keys(value)
    elif isinstance(value, ast.Call) and is_dict_call(value):
        yield from dict_call_keys(value)


def _constant_keys(value: ast.Dict) -> bool:
    """Is every key of the dict display a string as written (no ``**other``)?"""
    return all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in value.keys)


def is_dict_call(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Name) and call.func.id == "dict"


def dict_call_keys(call: ast.Call) -> Iterator[KeywordArg]:
    for keyword in call.keywords:
        if keyword.arg is not None:
            yield KeywordArg(keyword.arg, keyword.value, keyword, "dict")
