"""WSU301 handler-path-argument."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace

from lint_plugin import names
from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, Edit, FixAvailability, Requirement
from lint_plugin.rules._edits import references
from lint_plugin.rules._rewrites_exceptions import with_requirement
from lint_plugin.rules._rewrites_imported import (
    UncheckedHandler,
    migrates_here,
    unchecked_handlers,
)
from lint_plugin.scopes import lookup, positional_params
from lint_plugin.semantic import CallableTarget
from lint_plugin.spec import Rule, RuleSpec

NEW_SERVE_SINCE = (13, 0)

SPEC = RuleSpec(
    code="WSU301",
    name="handler-path-argument",
    summary="Connection handler with a second `path` parameter",
    message="Connection handler `{handler}` takes a second argument `{param}`; the new `serve()` "
    "calls handlers with the connection only: use `{conn}.{attr}`",
    fix_title="Remove `{param}` and use `{conn}.{attr}`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="13.0 (optional since 10.1)",
    fix_from=(10, 1),
    example_flagged_at=(3, 29),
    what_it_does=(
        "Checks for connection handlers passed to `serve()` (directly, through a variable, "
        "`functools.partial`, a bound method, an instance's `__call__` or a lambda) that "
        "take a second positional parameter, whatever its name (`path`, `_`, `uri`). "
        "Handlers of the threading `websockets.sync.server.serve()` (plain `def` "
        "functions) are checked too: it has no legacy version and calls them with the "
        "connection only."
    ),
    why_bad=(
        "The legacy server passed the request path as a second argument, deprecated since "
        "13.0. The new `serve()` calls the handler with the connection only, so a handler with "
        "two required parameters fails with `TypeError` on every connection. The path is "
        "`connection.request.path`."
    ),
    example=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "async def handler(websocket, path):\n"
        "    await websocket.send(path)\n"
        "\n"
        "async def main():\n"
        '    async with serve(handler, "localhost", 8765):\n'
        "        pass\n"
    ),
    use_instead=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "async def handler(websocket):\n"
        "    await websocket.send(websocket.request.path)\n"
        "\n"
        "async def main():\n"
        '    async with serve(handler, "localhost", 8765):\n'
        "        pass\n"
    ),
    fix_safety=(
        "Unsafe: the fix removes the parameter and replaces its uses with "
        "`connection.request.path`, which only exists on new connections, and breaks other "
        "callers that pass two arguments. It is offered only when the parameter is the last "
        "positional one and is never reassigned. On targets from 10.1 to 12.x, which have no "
        "new `serve()`, it uses the legacy connection's own `connection.path` instead (and "
        "offers nothing for a handler of the threading `serve()`). A legacy `serve()` whose "
        "handler is not a `def` of the module (imported, a parameter) is reported at the "
        "argument without a fix and keeps the call on the legacy implementation, unless "
        "`wsu check`'s project index shows that handler takes the connection only; the "
        "handler's own module reports it without a fix (docs/usage.md, Across modules)."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for callback in ctx.model.callbacks:
        if callback.role != "handler":
            continue
        sync = callback.site is not None and callback.site.qualname.canonical in names.SYNC_SERVE
        diagnostic = _check_handler(ctx, callback.target, sync=sync)
        if diagnostic is not None and callback.target.via == REMOTE:
            diagnostic = _remote(ctx, diagnostic, callback.target)
        if diagnostic is not None:
            yield diagnostic
    for unchecked in unchecked_handlers(ctx):
        yield _unchecked(ctx, unchecked)


#: ``CallableTarget.via`` of a handler passed to ``serve()`` by another module (project index).
REMOTE = "imported by another module"


def _remote(ctx: Context, diagnostic: Diagnostic, target: CallableTarget) -> Diagnostic:
    """A handler another module passes to ``serve()``: reported here without a fix, since
    that ``serve()``'s migration (in its own file) may be held back."""
    name = getattr(target.function, "name", "<lambda>")
    if migrates_here(ctx, name):
        return diagnostic  # migrated with that ``serve()`` in this run
    model = ctx.model
    users = sorted(
        {
            use.used_in
            for use in (
                model.project.callbacks_for(model.module_name)
                if model.project is not None and model.module_name is not None
                else []
            )
            if use.name == name and use.role == "handler"
        }
    )
    where = ", ".join(f"`{user}`" for user in users) or "another module"
    fix = diagnostic.fix
    if fix is not None:
        fix = replace(fix, edits=(), applicability=Applicability.DISPLAY_ONLY)
    message = f"{diagnostic.message} (passed to `serve()` in {where}: fix it by hand)"
    return replace(diagnostic, message=message, fix=fix)


def _unchecked(ctx: Context, unchecked: UncheckedHandler) -> Diagnostic:
    """A handler of a legacy ``serve()`` defined elsewhere: reported on the call, without a
    fix (the call's migration waits for it)."""
    name, params = unchecked.name, unchecked.params
    if unchecked.module is not None and params is not None:
        extra = ", ".join(f"`{p}`" for p in params[1:])
        what = (
            f"takes {extra or 'no argument'}" if len(params) != 1 else "takes the connection only"
        )
        message = (
            f"Connection handler `{name}`, defined in `{unchecked.module}`, {what}; the new "
            "`serve()` calls handlers with the connection only: migrate it there, then this call"
        )
    elif unchecked.module is not None:
        message = (
            f"Connection handler `{name}` is imported from `{unchecked.module}`: its signature "
            "can't be checked here; the new `serve()` calls handlers with the connection only"
        )
    else:
        message = (
            f"Connection handler `{name}` is not a function of this module: its signature "
            "can't be checked; the new `serve()` calls handlers with the connection only"
        )
    return ctx.diagnostic(
        SPEC,
        unchecked.argument,
        message,
        fix_title=f"Check that `{name}` takes the connection only, then migrate this call",
        applicability=Applicability.DISPLAY_ONLY,
    )


def _check_handler(ctx: Context, target: CallableTarget, *, sync: bool) -> Diagnostic | None:
    function = target.function
    params = positional_params(function.args)
    conn_index = target.skip
    path_index = conn_index + 1
    if len(target.positional()) < 2:
        return None  # no second positional parameter, or ``partial`` binds it by keyword
    required = len(params) - len(function.args.defaults)
    if path_index >= required:
        return None  # ``path=None``: the new serve() can call it with one argument.
    conn, path = params[conn_index], params[path_index]
    name = getattr(function, "name", "<lambda>")
    # Before 13.0 there is no new serve(), but the legacy one accepts a one-argument
    # handler since 10.1 and its connections carry the path themselves.
    # The threading serve() has no legacy version: its connections have ``request`` (and
    # never had ``path``); the fix is offered on the targets where asyncio's is.
    new_serve = ctx.target_version >= NEW_SERVE_SINCE
    attr = "request.path" if sync or new_serve else "path"
    edits = _fix(ctx, function, params, conn, path, attr) if new_serve or not sync else None
    diagnostic = ctx.diagnostic(
        SPEC,
        path,
        SPEC.message.format(handler=name, param=path.arg, conn=conn.arg, attr=attr),
        fix_title=SPEC.fix_title.format(param=path.arg, conn=conn.arg, attr=attr),
        edits=edits or (),
        applicability=Applicability.UNSAFE,
    )
    if attr == "path":
        return with_requirement(diagnostic, Requirement.BOTH)  # right on the legacy server
    return diagnostic


def _fix(
    ctx: Context,
    function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda,
    params: list[ast.arg],
    conn: ast.arg,
    path: ast.arg,
    attr: str,
) -> list[Edit] | None:
    if params[-1] is not path or function.args.vararg or function.args.defaults:
        return None
    scope = ctx.model.scopes[id(function)]
    bindings = scope.bindings.get(path.arg, [])
    if len(bindings) != 1:
        return None  # reassigned in the body
    conn_binding = scope.bindings[conn.arg][0]
    edits = [Edit(ctx.end(conn), ctx.end(path), "")]
    for ref in references(ctx, bindings[0]):
        # In a nested function or comprehension that rebinds the connection's name,
        # ``conn.request.path`` would read another connection.
        at = ctx.model.scope_of(ref)
        if lookup(at, conn.arg, (ref.lineno, ref.col_offset)) is not conn_binding:
            return None
        edits.append(ctx.replace(ref, f"{conn.arg}.{attr}"))
    return edits


RULE = Rule(SPEC, check)
