"""The project index: what one module needs to know about the others.

A handler defined in ``app/handlers.py`` and passed to ``serve()`` in ``app/main.py`` is a
handler, but nothing in ``handlers.py`` says so. The index records, for each module of the
project, its top-level definitions (with their positional parameters and whether a class
derives from a legacy websockets class) and the imported names it passes to ``serve()`` as
callbacks; the model of ``handlers.py`` then asks which of its definitions the rest of the
project uses as callbacks.

Only files that mention a target module can call ``serve()``, so only those are analysed
for uses (with the name layer of the model: no connection inference); every file gets its
definitions listed, which is one ``ast.parse``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lint_plugin import names
from lint_plugin.engine import mentions_target
from lint_plugin.scopes import positional_params
from lint_plugin.semantic.bindings import Bindings
from lint_plugin.semantic.callbacks import Role
from lint_plugin.semantic.syntax import DEF_NODES
from lint_plugin.settings import Settings

_CALLBACK_KEYWORDS = ("process_request", "select_subprotocol", "process_response")


@dataclass(frozen=True)
class ExportedDef:
    """A top-level ``def`` or ``class`` of a module."""

    name: str
    kind: Literal["function", "class"]
    params: tuple[str, ...]
    """Positional parameters of a function (empty for a class)."""
    legacy: bool
    """A class deriving from a legacy websockets class by one of its written bases."""


@dataclass(frozen=True)
class RemoteCallback:
    """A name of ``module`` passed to ``serve()`` by another module as ``role``."""

    module: str
    name: str
    role: Role
    legacy: bool
    """The ``serve()`` that receives it runs the legacy implementation."""
    used_in: str
    """The module holding the ``serve()`` call."""


@dataclass(frozen=True)
class Patch:
    """A legacy implementation object the module sets an attribute of
    (``websockets.legacy.client.Connect.__aiter__ = ...``): the new implementation does
    not run it, so no code of the project may move to it alone."""

    target: str
    """What is patched, spelled as written (``websockets.legacy.client.Connect``)."""
    line: int


@dataclass(frozen=True)
class PassedConnection:
    """A connection ``used_in`` passes to ``name`` of ``module`` (a function, or a class
    whose ``__init__`` takes it), as positional argument ``index`` (``self`` not counted)
    or as ``keyword``."""

    module: str
    name: str
    index: int | None
    keyword: str | None
    used_in: str
    line: int


@dataclass(frozen=True)
class ModuleFacts:
    defs: tuple[ExportedDef, ...] = ()
    uses: tuple[RemoteCallback, ...] = ()
    passes: tuple[PassedConnection, ...] = ()
    """Connections this module passes to names imported from other modules."""
    legacy_reads: tuple[tuple[int, str], ...] = ()
    """(line, member) of every read of a legacy-only connection member in the text (of a
    module receiving connections from another: ``.open``, ``.closed``...)."""

    @property
    def takes_part(self) -> bool:
        return bool(self.uses or self.passes)


@dataclass(frozen=True)
class ProjectIndex:
    modules: Mapping[str, ModuleFacts] = field(default_factory=dict)
    """Module qualified name -> its facts."""
    migrating: frozenset[tuple[str, str]] = frozenset()
    """Callbacks ``(module, name)`` (handlers, ``process_request``, ``select_subprotocol``)
    migrated in this run together with every legacy ``serve()`` passing them
    (``cli/project_units.py``): one unit across modules."""
    held: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """Why a callback passed to a legacy ``serve()`` by another module is not migrated
    with it, when the run found out."""

    def migrates(self, module: str, name: str) -> bool:
        return (module, name) in self.migrating

    def callbacks_for(self, module: str) -> list[RemoteCallback]:
        """Every use the other modules make of ``module``'s names as callbacks."""
        return [
            use
            for facts in self.modules.values()
            for use in facts.uses
            if use.module == module and use.used_in != module
        ]

    def passes_for(self, module: str) -> list[PassedConnection]:
        """The connections the other modules pass to ``module``'s names."""
        return [
            passed
            for facts in self.modules.values()
            for passed in facts.passes
            if passed.module == module and passed.used_in != module
        ]

    def definition(self, module: str, name: str) -> ExportedDef | None:
        facts = self.modules.get(module)
        if facts is None:
            return None
        return next((d for d in facts.defs if d.name == name), None)


def module_name(path: Path) -> str:
    """``pkg/sub/mod.py`` -> ``pkg.sub.mod``, climbing while directories are packages."""
    path = path.resolve()
    parts = [] if path.stem == "__init__" else [path.stem]
    directory = path.parent
    while (directory / "__init__.py").is_file():
        parts.insert(0, directory.name)
        directory = directory.parent
    return ".".join(parts)


def module_facts(
    tree: ast.Module,
    source: str,
    settings: Settings,
    module: str,
    project: ProjectIndex | None = None,
) -> ModuleFacts:
    """The facts of a module another one names (its callbacks or what it passes
    connections to come from there), read for its definitions and legacy member reads;
    with ``project``, the connections other modules give it are known in it, and where it
    passes them on too."""
    from lint_plugin.semantic.model import SemanticModel

    reads = _legacy_reads(source)
    given = project is not None and bool(project.passes_for(module))
    if not given and not mentions_target(source, settings.modules):
        return ModuleFacts(_definitions(tree, None), (), legacy_reads=reads)
    model = SemanticModel(
        tree, source, settings, project=project if given else None, module_name=module
    )
    found = facts_of(model, module)
    return ModuleFacts(found.defs, found.uses, found.passes, reads)


def facts_of(model: Bindings, module: str) -> ModuleFacts:
    """The facts of a module that mentions a target module, from its model (the name layer
    for the callbacks; the connections passed on only when the model knows connections:
    the check's own)."""
    return ModuleFacts(
        _definitions(model.tree, model), tuple(_uses(model, module)), tuple(_passes(model, module))
    )


def _legacy_reads(source: str) -> tuple[tuple[int, str], ...]:
    """(line, member) of each legacy-only member read (``.open``), and (line, class) of each
    legacy connection class named (an annotation moved alone would not match the new
    connection given there), in order."""
    from lint_plugin.cli.attribute_reads import MEMBER

    found = [
        (match.start(), match.group(1))
        for pattern in (MEMBER, _LEGACY_CLASS)
        for match in pattern.finditer(source)
    ]
    return tuple((source.count("\n", 0, at) + 1, name) for at, name in sorted(found))


#: The legacy connection classes, by name.
_LEGACY_CLASS = re.compile(
    r"\b(WebSocketClientProtocol|WebSocketServerProtocol|WebSocketCommonProtocol"
    r"|BasicAuthWebSocketServerProtocol)\b"
)


def _passes(model: Bindings, module: str) -> Iterator[PassedConnection]:
    """Connections given to a name imported from another module of the project:
    ``Session(websocket)`` after ``from .session import Session``."""
    is_connection = getattr(model, "is_connection", None)
    if is_connection is None:
        return
    for call in model.nodes_of(ast.Call):
        assert isinstance(call, ast.Call)
        positions = [
            i
            for i, arg in enumerate(call.args)
            if not isinstance(arg, ast.Starred)
            and is_connection(arg)
            and not _new_connection(model, arg)
        ]
        keywords = [
            k.arg
            for k in call.keywords
            if k.arg is not None and is_connection(k.value) and not _new_connection(model, k.value)
        ]
        if not positions and not keywords:
            continue
        target = _passed_to(model, call.func, module)
        if target is None:
            continue
        for index in positions:
            yield PassedConnection(*target, index, None, module, call.lineno)
        for keyword in keywords:
            yield PassedConnection(*target, None, keyword, module, call.lineno)


def _new_connection(model: Bindings, expr: ast.expr) -> bool:
    """A name bound to a connection of the new implementation (``with sync_connect(url)
    as ws``, ``async with websockets.asyncio.client.connect(url) as ws``, the top-level
    ``connect()`` from 14.0): nothing moves with it, so its receiver holds nothing back."""
    if not isinstance(expr, ast.Name):
        return False
    binding = model.binding_of(expr)
    if binding is None:
        return False
    value = binding.value
    if value is None and isinstance(item := model.parent(binding.node), ast.withitem):
        value = item.context_expr
    if isinstance(value, ast.Await):
        value = value.value
    if not isinstance(value, ast.Call):
        return False
    qualname = model.qualified_name(value.func)
    if qualname is None:
        return False
    return qualname.canonical in _NEW_CLIENTS or (
        qualname.canonical in names.TOP_CONNECT and model.target_version >= (14, 0)
    )


_NEW_CLIENTS = names.THREADING_CLIENT | names.NEW_CONNECT
_PATCHABLE = names.LEGACY_CONNECT | names.LEGACY_SERVE | names.LEGACY_CLASSES


def legacy_patches(model: Bindings) -> Iterator[Patch]:
    """Attributes set on legacy implementation objects: ``X.attr = ...`` and
    ``setattr(X, ...)`` where ``X`` is a legacy class, factory or module; and mocks of
    one (``mock.patch("websockets.connect")``, ``patch.object(websockets, "connect")``,
    ``monkeypatch.setattr(...)``): code moved to the new implementation no longer meets
    them."""
    for node in model.nodes_of(ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Call):
        patched: list[ast.expr] = []
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id == "setattr" and node.args:
                patched = [node.args[0]]
            else:
                yield from _mocked(model, node)
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            patched = [t.value for t in targets if isinstance(t, ast.Attribute)]
        for expr in patched:
            qualname = model.qualified_name(expr)
            if qualname is not None and _is_legacy(model, qualname.canonical, attribute=False):
                yield Patch(qualname.display, expr.lineno)


#: The calls that replace an object for a test: ``patch("a.b")``, ``patch.object(a, "b")``,
#: ``monkeypatch.setattr("a.b", v)`` / ``monkeypatch.setattr(a, "b", v)``.
_MOCKS = frozenset({"patch", "object", "setattr"})


def _mocked(model: Bindings, call: ast.Call) -> Iterator[Patch]:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in _MOCKS or not call.args:
        return
    first = call.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        for module in model.settings.modules:
            # ``websockets.connect``, or the module as another module's attribute
            # (``app.client.websockets.connect``).
            at = first.value.find(f"{module}.")
            while at > 0 and first.value[at - 1] != ".":
                at = first.value.find(f"{module}.", at + 1)
            if at >= 0:
                dotted = first.value[at:]
                canonical = names.ROOT + dotted[len(module) :]
                if _is_legacy(model, canonical, attribute=True):
                    yield Patch(dotted, call.lineno)
                return
    elif len(call.args) > 1:
        attribute = call.args[1]
        qualname = model.qualified_name(first)
        if (
            qualname is not None
            and isinstance(attribute, ast.Constant)
            and isinstance(attribute.value, str)
        ):
            canonical = f"{qualname.canonical}.{attribute.value}"
            if _is_legacy(model, canonical, attribute=True):
                yield Patch(f"{qualname.display}.{attribute.value}", call.lineno)


def _is_legacy(model: Bindings, canonical: str, *, attribute: bool) -> bool:
    """``canonical`` is a legacy implementation object (or, ``attribute``, one replaced
    whole: the top-level ``connect`` / ``serve`` before 14.0, a legacy object's attribute)."""
    if canonical in _PATCHABLE or canonical.startswith(f"{names.ROOT}.legacy"):
        return True
    if attribute:
        if canonical in names.TOP_CONNECT | names.TOP_SERVE:
            return model.target_version < (14, 0)
        owner = canonical.rpartition(".")[0]
        return owner in _PATCHABLE
    return False


def _definitions(tree: ast.Module, model: Bindings | None) -> tuple[ExportedDef, ...]:
    found = []
    for stmt in tree.body:
        if isinstance(stmt, DEF_NODES):
            params = tuple(p.arg for p in positional_params(stmt.args))
            found.append(ExportedDef(stmt.name, "function", params, False))
        elif isinstance(stmt, ast.ClassDef):
            legacy = model is not None and any(
                (q := model.qualified_name(base)) is not None
                and (q.canonical in names.LEGACY_CLASSES or q.canonical in names.LEGACY_FACTORIES)
                for base in stmt.bases
            )
            found.append(ExportedDef(stmt.name, "class", (), legacy))
    return tuple(found)


def _uses(model: Bindings, module: str) -> list[RemoteCallback]:
    """Imported names this module passes to ``serve()`` as callbacks."""
    found = []
    for legacy, role, expr in _passed(model):
        target = _imported(model, expr, module)
        if target is not None:
            found.append(RemoteCallback(target[0], target[1], role, legacy, module))
    return found


def _passed(model: Bindings) -> Iterator[tuple[bool, Role, ast.expr]]:
    """(legacy, role, argument) of each callback passed to a ``serve()`` of the module."""
    before_14 = model.target_version < (14, 0)
    for node in model.nodes_of(ast.Call):
        if not isinstance(node, ast.Call):
            continue
        qualname = model.qualified_name(node.func)
        if qualname is None or qualname.canonical not in names.SERVE:
            continue
        legacy = qualname.canonical in names.LEGACY_SERVE or (
            qualname.canonical in names.TOP_SERVE and before_14
        )
        if node.args and not isinstance(node.args[0], ast.Starred):
            yield legacy, "handler", node.args[0]
        for keyword in node.keywords:
            if keyword.arg in {"handler", "ws_handler"}:
                yield legacy, "handler", keyword.value
            elif keyword.arg in _CALLBACK_KEYWORDS:
                yield legacy, keyword.arg, keyword.value  # type: ignore[misc]


def other_uses(
    tree: ast.Module, source: str, settings: Settings, module: str, target: tuple[str, str]
) -> list[int]:
    """Lines where ``module`` uses ``target`` (module, name) other than by passing it to
    ``serve()`` as a callback: a call, an assignment, another argument. In the defining
    module, any load of the name counts (the conservative choice)."""
    if module == target[0]:
        return sorted(
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.Name) and node.id == target[1]
        )
    model = Bindings(tree, source, settings)
    passed = {id(expr) for _, _, expr in _passed(model)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Name, ast.Attribute)) or id(node) in passed:
            continue
        if _imported(model, node, module) == target:
            found.append(node.lineno)
    return sorted(found)


def _passed_to(model: Bindings, func: ast.expr, module: str) -> tuple[str, str] | None:
    """(module, name) of what a call gives connections to, when another module of the
    project defines it: an imported function or class (``Session``, ``mod.Session``), or
    a method of an imported class called on it (``Session.create`` -> ``Session.create``),
    or on a class attribute bound to one (redis-websocket-api's
    ``self.handler_class.create``)."""
    if isinstance(func, ast.Attribute):
        owner = _imported_class(model, func.value, module)
        if owner is not None:
            return owner[0], f"{owner[1]}.{func.attr}"
    return _imported(model, func, module)


def _imported_class(model: Bindings, expr: ast.expr, module: str) -> tuple[str, str] | None:
    """(module, name) of a class imported by name (``from .handler import Handler``), read
    directly or through a class attribute every assignment of which binds it."""
    if isinstance(expr, ast.Name):
        binding = model.binding_of(expr)
        if binding is not None and isinstance(binding.node, ast.alias):
            return _imported(model, expr, module)
        return None
    if not (isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name)):
        return None
    cls = model.self_class(expr.value)  # type: ignore[attr-defined]
    if cls is None:
        return None
    values = [
        stmt.value
        for stmt in cls.body
        if isinstance(stmt, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == expr.attr for t in stmt.targets)
    ]
    found = {_imported(model, v, module) for v in values if isinstance(v, ast.Name)}
    if len(found) == 1 and len(values) == 1:
        return found.pop()
    return None


def _imported(model: Bindings, expr: ast.expr, module: str) -> tuple[str, str] | None:
    """(module, name) of a name imported from another module of the project:
    ``from pkg.mod import name``, ``from .mod import name``, ``mod.name``."""
    if isinstance(expr, ast.Attribute):
        # ``mod.name``, ``pkg.mod.name`` after ``import pkg.mod`` / ``import pkg.mod as mod``.
        rest: list[str] = []
        base = expr.value
        while isinstance(base, ast.Attribute):
            rest.insert(0, base.attr)
            base = base.value
        if not isinstance(base, ast.Name):
            return None
        binding = model.binding_of(base)
        if (
            binding is not None
            and binding.kind == "import"
            and binding.imported
            and model.canonical(binding.imported) is None
        ):
            return ".".join([binding.imported, *rest]), expr.attr
        return None
    if not isinstance(expr, ast.Name):
        return None
    binding = model.binding_of(expr)
    if binding is None or not isinstance(binding.node, ast.alias):
        return None
    statement = model.parent(binding.node)
    if not isinstance(statement, ast.ImportFrom):
        return None
    if statement.level:
        package = module.split(".")[: -statement.level]
        source = ".".join([*package, *([statement.module] if statement.module else [])])
    else:
        source = statement.module or ""
    if not source or model.canonical(source) is not None:
        return None
    return source, binding.node.name
