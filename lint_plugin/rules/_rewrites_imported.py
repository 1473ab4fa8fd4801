"""Callbacks of a legacy ``serve()`` imported from another module of the project.

The linter sees one module at a time: a ``process_request`` or ``select_subprotocol``
imported from elsewhere cannot be checked there. Reporting it on the call (without a fix)
keeps the call's migration unit on the legacy implementation, unless the run migrates it
in its own module together with this call (the project index's ``migrating``, decided by
``cli/project_units.py``): its module then reports it with its rewrite
(:func:`remote_callbacks`). A handler is checked against the project index when the front
end has one (``wsu check``): one taking the connection only holds nothing, and so does one
the run migrates with this call.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from lint_plugin.context import Context
from lint_plugin.semantic import Callback, CallSite
from lint_plugin.semantic.callables import CallableTarget
from lint_plugin.semantic.callbacks import Role


@dataclass(frozen=True)
class ImportedCallback:
    keyword: ast.keyword
    name: str
    module: str | None
    """Where it is imported from; ``None`` for a callable no definition of the module is
    known to be (``self.app.check``, a parameter, a call's result)."""
    why: str | None = None
    """Why the run does not migrate it with this call (the project index's ``held``)."""

    def described(self, role: str, new_call: str) -> str:
        """The finding's message at the ``serve()`` argument."""
        where = (
            f"imported from `{self.module}`"
            if self.module is not None
            else "not a function of this module that the linter can follow"
        )
        why = f"; not migrated with it: {self.why}" if self.why else ""
        return (
            f"`{self.name}`, {where}, is this legacy `serve()`'s `{role}`: the new one calls "
            f"it as `{new_call}`{why}"
        )

    @property
    def fix_title(self) -> str:
        if self.module is None:
            return f"Migrate `{self.name}` by hand, then this call"
        return f"Migrate `{self.name}` in `{self.module}`, then this call"


def imported_callbacks(ctx: Context, role: str) -> Iterator[ImportedCallback]:
    """``role=x`` on a legacy ``serve()`` where ``x`` is not a function of the module the
    model follows: imported from a module that is not websockets (``from .gates import
    gate``), unless the run migrates it in its module together with this call; or anything
    else no definition is known for (``self.app.check``, a parameter, a call's result),
    whose signature cannot be checked either."""
    project = ctx.model.project
    followed = {
        id(callback.site.node)
        for callback in ctx.model.callbacks
        if callback.role == role and callback.site is not None
    }
    for site in ctx.model.call_sites:
        if site.family != "serve" or not site.legacy:
            continue
        for keyword in site.node.keywords:
            if keyword.arg != role:
                continue
            value = keyword.value
            where = _imported_from(ctx, value)
            if where is not None:
                module, name = where
                if project is not None and project.migrates(_absolute(ctx, module), name):
                    continue
                why = project.held.get((_absolute(ctx, module), name)) if project else None
                yield ImportedCallback(keyword, ctx.text(value), module, why)
                continue
            if (
                id(site.node) in followed
                or isinstance(value, ast.Constant)
                or ctx.model.qualified_name(value) is not None
            ):
                continue
            yield ImportedCallback(keyword, ctx.text(value).split("\n")[0][:60], None)


def remote_callbacks(ctx: Context, role: Role) -> Iterator[tuple[Callback, bool]]:
    """This module's functions another module passes to ``serve()`` as ``role``, with
    whether that ``serve()`` is legacy: those the run migrates together with their legacy
    call (``cli/project_units.py``), and those a new ``serve()`` receives. One a legacy
    ``serve()`` keeps is not one to rewrite here: that call reports it."""
    project, module = ctx.model.project, ctx.model.module_name
    if project is None or module is None:
        return
    uses = [u for u in project.callbacks_for(module) if u.role == role]
    kept = {u.name for u in uses if u.legacy and not project.migrates(module, u.name)}
    legacy = {u.name for u in uses if u.legacy}
    used = {u.name for u in uses}
    for stmt in ctx.tree.body:
        if (
            isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
            and stmt.name in used
            and stmt.name not in kept
        ):
            target = CallableTarget(stmt, 0, "imported by another module")
            yield Callback(role, target, None), stmt.name in legacy


@dataclass(frozen=True)
class UncheckedHandler:
    """The handler of a legacy ``serve()`` whose signature this module cannot check: not
    resolved to a ``def`` of the module, and not known (from the project index) to take
    the connection only. The new ``serve()`` calls it with one argument."""

    site: CallSite
    argument: ast.expr
    name: str
    module: str | None
    """Where it is imported from (``handlers``, ``.handlers``), when it is imported."""
    params: tuple[str, ...] | None
    """Its positional parameters, when the project index knows them."""
    why: str | None = None
    """Why the run does not migrate it with this call (the project index's ``held``)."""

    @property
    def reason(self) -> str:
        """Why the ``serve()`` unit is held back."""
        if self.module is not None and self.params is not None:
            extra = ", ".join(f"`{p}`" for p in self.params[1:]) or "no connection"
            where = f"handler `{self.name}` is defined in {_file(self.module)} and takes {extra}"
            if self.why is not None:
                return f"{where}: {self.why}"
            return f"{where} (WSU301 needs a hand edit there)"
        if self.module is not None:
            return (
                f"handler `{self.name}` is imported from `{self.module}`; its signature can't "
                "be checked (WSU301)"
            )
        return (
            f"handler `{self.name}` is defined elsewhere; its signature can't be checked (WSU301)"
        )


def _file(module: str) -> str:
    return module.lstrip(".").replace(".", "/") + ".py"


def unchecked_handlers(ctx: Context) -> list[UncheckedHandler]:
    """Handlers of the module's legacy ``serve()`` calls whose signature is not known to
    be new-style (one positional parameter)."""
    cached = ctx.cache.get("unchecked_handlers")
    if cached is not None:
        return cast("list[UncheckedHandler]", cached)
    model = ctx.model
    resolved = {
        id(callback.site.node)
        for callback in model.callbacks
        if callback.role == "handler" and callback.site is not None
    }
    found: list[UncheckedHandler] = []
    for site in model.call_sites:
        if site.family != "serve" or not site.legacy or id(site.node) in resolved:
            continue
        handler = site.positional(0)
        for keyword in site.node.keywords:
            if keyword.arg in {"handler", "ws_handler"}:
                handler = keyword.value
        if handler is None or isinstance(handler, ast.Constant):
            continue
        where = _imported_from(ctx, handler)
        params = why = None
        if where is not None and model.project is not None:
            absolute = _absolute(ctx, where[0])
            definition = model.project.definition(absolute, where[1])
            if definition is not None and definition.kind == "function":
                params = definition.params
                if len(params) == 1 or model.project.migrates(absolute, where[1]):
                    continue  # right for the new serve(), or made so with this call
                why = model.project.held.get((absolute, where[1]))
        name = where[1] if where is not None else ctx.text(handler).split("\n")[0][:40]
        module = where[0] if where is not None else None
        found.append(UncheckedHandler(site, handler, name, module, params, why))
    ctx.cache["unchecked_handlers"] = found
    return found


def migrates_here(ctx: Context, name: str) -> bool:
    """Whether this module's function ``name``, the handler of a legacy ``serve()`` in
    another module, is migrated in this run together with that call."""
    project, module = ctx.model.project, ctx.model.module_name
    return project is not None and module is not None and project.migrates(module, name)


def _absolute(ctx: Context, module: str) -> str:
    """``.handlers`` -> ``pkg.handlers`` from the module's own name."""
    level = len(module) - len(module.lstrip("."))
    if not level:
        return module
    own = (ctx.model.module_name or "").split(".")
    package = own[:-level] if level <= len(own) else []
    rest = module[level:]
    return ".".join([*package, *([rest] if rest else [])])


def _imported_from(ctx: Context, expr: ast.expr) -> tuple[str, str] | None:
    """(module, name) of ``name`` (``from handlers import name``) or ``handlers.name``
    (``import handlers``) imported from a module that is not websockets."""
    model = ctx.model
    if isinstance(expr, ast.Name):
        binding = model.binding_of(expr)
        alias = binding.node if binding is not None else None
        statement = model.parent(alias) if isinstance(alias, ast.alias) else None
        if not isinstance(statement, ast.ImportFrom) or not isinstance(alias, ast.alias):
            return None
        module = "." * statement.level + (statement.module or "")
        if module.lstrip(".").split(".")[0] in ctx.settings.modules and not statement.level:
            return None
        return module, alias.name
    if isinstance(expr, ast.Attribute):
        base: ast.expr = expr.value
        parts: list[str] = []
        while isinstance(base, ast.Attribute):
            parts.insert(0, base.attr)
            base = base.value
        if not isinstance(base, ast.Name):
            return None
        binding = model.binding_of(base)
        if binding is None or binding.kind != "import" or not binding.imported:
            return None
        module = ".".join([binding.imported, *parts])
        if module.split(".")[0] in ctx.settings.modules:
            return None
        return module, expr.attr
    return None
