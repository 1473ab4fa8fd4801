"""WSU303 legacy-select-subprotocol."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin.astwalk import walk
from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, Edit, FixAvailability
from lint_plugin.rules._rewrites_imported import imported_callbacks, remote_callbacks
from lint_plugin.rules._rewrites_subclass import override_edits
from lint_plugin.rules._rewrites_subprotocols import server_list
from lint_plugin.rules._signatures import callback_params, rename_params
from lint_plugin.semantic import Callback
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU303",
    name="legacy-select-subprotocol",
    summary="`select_subprotocol` with the legacy `(client_subprotocols, server_subprotocols)` "
    "signature",
    message="`{name}` has the legacy `select_subprotocol(client_subprotocols, "
    "server_subprotocols)` signature; the new one is `select_subprotocol(connection, "
    "subprotocols)`",
    fix_title="Rewrite as `select_subprotocol(connection, subprotocols)`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0 (new signature in the new implementation, 13.0+)",
    fix_from=(13, 0),
    example_flagged_at=(3, 0),
    what_it_does=(
        "Checks for `select_subprotocol` callables (passed as `select_subprotocol=` or "
        "overridden in a legacy protocol subclass) with the legacy "
        "`(client_subprotocols, server_subprotocols)` signature."
    ),
    why_bad=(
        "The new server calls `select_subprotocol(connection, subprotocols)`, where "
        "`subprotocols` is what the client offered; the server's own list is no longer passed "
        "(the function knows which subprotocols it may pick). Also, without "
        "`select_subprotocol`, a new server configured with `subprotocols` rejects clients "
        "that offer none."
    ),
    example=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "def select_subprotocol(client_subprotocols, server_subprotocols):\n"
        '    if "chat" in client_subprotocols:\n'
        '        return "chat"\n'
        "\n"
        "async def main(handler):\n"
        "    async with serve(handler, select_subprotocol=select_subprotocol):\n"
        "        pass\n"
    ),
    use_instead=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "def select_subprotocol(connection, subprotocols):\n"
        '    if "chat" in subprotocols:\n'
        '        return "chat"\n'
        "\n"
        "async def main(handler):\n"
        "    async with serve(handler, select_subprotocol=select_subprotocol):\n"
        "        pass\n"
    ),
    fix_safety=(
        "Unsafe: the rewritten function only works with the new `serve()`, and the new server "
        "calls it on every handshake, where the legacy one called it only when it had "
        "`subprotocols` and the client offered some: a function that picks a subprotocol the "
        "server did not list now negotiates it with every client (the migration suite's "
        "`select_subprotocol_unlisted` program shows it). The fix renames the parameters to "
        "`(connection, subprotocols)`. Where the body reads the server's list, which the new "
        "signature no longer provides, it is replaced by the `subprotocols=` value of the "
        "`serve()` calls using the function: a module-level name as it is, a literal moved "
        "into a module constant (`SUBPROTOCOLS`) that the call and the function share; "
        "when that value is unknown (`**options`, a local variable, several calls that "
        "differ) there is no fix. Overrides in a protocol subclass are rewritten with the "
        "subclass (see WSU304). A `select_subprotocol` imported from another module is "
        "rewritten there together with the legacy `serve()` call when `wsu check` checks both "
        "files, nothing else uses it and it does not read the server's list; otherwise it is "
        "reported on the call with a hint only, saying why (flake8 and the language server "
        "see one file: always the hint). One that is no function of the module the linter "
        "follows (`self.app.negotiate`, a parameter, a call's result) is reported on the "
        "call with a hint, and the call stays legacy."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for callback in ctx.model.callbacks:
        if callback.role != "select_subprotocol" or not _is_legacy(callback):
            continue
        function = callback.target.function
        name = getattr(function, "name", "<lambda>")
        edits = _fix(ctx, callback) if callback.site else override_edits(ctx, callback)
        yield ctx.diagnostic(
            SPEC,
            function,
            SPEC.message.format(name=name),
            edits=edits or (),
            applicability=Applicability.UNSAFE,
        )

    # Passed by another module to a serve() this run migrates, or to a new one. Its fix
    # renames the parameters only: one reading the server's list needs the call's.
    for callback, legacy in remote_callbacks(ctx, "select_subprotocol"):
        if _is_legacy(callback, legacy):
            function = callback.target.function
            edits = None if _reads_server_list(ctx, callback) else _fix(ctx, callback)
            yield ctx.diagnostic(
                SPEC,
                function,
                SPEC.message.format(name=getattr(function, "name", "")),
                edits=edits or (),
                applicability=Applicability.UNSAFE,
            )

    for imported in imported_callbacks(ctx, "select_subprotocol"):
        yield ctx.diagnostic(
            SPEC,
            imported.keyword,
            imported.described(
                "select_subprotocol", "select_subprotocol(connection, subprotocols)"
            ),
            fix_title=imported.fix_title,
            applicability=Applicability.DISPLAY_ONLY,
        )


def _is_legacy(callback: Callback, legacy_call: bool | None = None) -> bool:
    """``legacy_call``: whether the ``serve()`` calling it is legacy, when it is not
    ``callback.site`` (a callback of another module's call)."""
    params = callback_params(callback)
    if len(params) != 2:
        return False
    if params[1].arg == "subprotocols" and "client" not in params[0].arg:
        # The new signature, the fix's own output: never reported again, even on a legacy
        # ``serve()`` (whose migration WSU101 reports).
        return False
    if legacy_call is None:
        legacy_call = callback.site is None or callback.site.legacy
    if legacy_call:
        return True
    first, second = params[0].arg, params[1].arg
    return "client" in first or "server" in second or "available" in second


def _fix(ctx: Context, callback: Callback) -> list[Edit] | None:
    function = callback.target.function
    if isinstance(function, ast.Lambda):
        return None
    client, server = callback_params(callback)
    server_text: str | None = None
    extra: tuple[Edit, ...] = ()
    if _reads(ctx, function, server.arg):
        found = server_list(ctx, function)
        if found is None:
            return None
        server_text, extra = found.text, found.edits
    edits = rename_params(
        ctx,
        function,
        [client, server],
        ("connection", "subprotocols"),
        {client.arg: "subprotocols", server.arg: server_text},
        annotated={"subprotocols": client},
    )
    return None if edits is None else [*edits, *extra]


def _reads_server_list(ctx: Context, callback: Callback) -> bool:
    function = callback.target.function
    return _reads(ctx, function, callback_params(callback)[1].arg)


def _reads(ctx: Context, function: ast.AST, name: str) -> bool:
    return any(
        isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
        for n in walk(function)
    )


RULE = Rule(SPEC, check)
