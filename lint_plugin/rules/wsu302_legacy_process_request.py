"""WSU302 legacy-process-request."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from typing import cast

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, Edit, FixAvailability
from lint_plugin.rules._rewrites_imported import imported_callbacks, remote_callbacks
from lint_plugin.rules._rewrites_process_request import own_raises, process_request_rewrite
from lint_plugin.rules._rewrites_response import abort_answer
from lint_plugin.rules._rewrites_subclass import override_edits
from lint_plugin.rules._signatures import callback_params, own_returns
from lint_plugin.semantic import Callback
from lint_plugin.spec import Rule, RuleSpec

LEGACY_FIRST = frozenset(
    {"path", "request_path", "_path", "url", "uri", "resource", "resource_name"}
)
LEGACY_SECOND = frozenset(
    {"request_headers", "headers", "req_headers", "_headers", "_request_headers"}
)

SPEC = RuleSpec(
    code="WSU302",
    name="legacy-process-request",
    summary="`process_request` with the legacy `(path, request_headers)` signature",
    message="`{name}` has the legacy `process_request(path, request_headers)` signature; the new "
    "one is `process_request(connection, request)` returning `connection.respond(status, text)` "
    "or `None`",
    fix_title="Rewrite as `process_request(connection, request)`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0 (new signature in the new implementation, 13.0+)",
    fix_from=(13, 0),
    example_flagged_at=(4, 0),
    what_it_does=(
        "Checks for `process_request` callables (passed as `process_request=`, under any "
        "function name, or overridden in a legacy protocol subclass) with the legacy "
        "`(path, request_headers)` signature or returning a `(status, headers, body)` tuple."
    ),
    why_bad=(
        "The new server calls `process_request(connection, request)`. It must return `None` to "
        "continue the handshake or a `Response`, usually built with "
        "`connection.respond(status, text)`. A legacy callable receives the wrong arguments, "
        "and a returned tuple is not a response."
    ),
    example=(
        "import http\n"
        "from websockets.asyncio.server import serve\n"
        "\n"
        "def health_check(path, request_headers):\n"
        '    if path == "/healthz":\n'
        '        return http.HTTPStatus.OK, [], b"OK\\n"\n'
        "\n"
        "async def main(handler):\n"
        '    async with serve(handler, "localhost", 8765, process_request=health_check):\n'
        "        pass\n"
    ),
    use_instead=(
        "import http\n"
        "from websockets.asyncio.server import serve\n"
        "\n"
        "def health_check(connection, request):\n"
        '    if request.path == "/healthz":\n'
        '        return connection.respond(http.HTTPStatus.OK, "OK\\n")\n'
        "\n"
        "async def main(handler):\n"
        '    async with serve(handler, "localhost", 8765, process_request=health_check):\n'
        "        pass\n"
    ),
    fix_safety=(
        "Unsafe: the rewritten function only works with the new `serve()`. The fix renames the "
        "parameters to `(connection, request)`, replaces `path` with `request.path` and the "
        "headers with `request.headers`, and turns each `return status, headers, body` (and "
        "each `raise AbortHandshake(status, headers, body)`) into "
        "`connection.respond(status, text)`, returned: a body that is text (a UTF-8 "
        "literal, or `text.encode()`) is given as text; any other bytes (a variable, a call, "
        "a literal that is not UTF-8) are set as they are on the response "
        "(`response.body = body`, with its `Content-Length`), since `respond()` encodes "
        "text. The answer's headers are set on the response before it is returned, each "
        "one `respond()` sets (`Content-Type`, `Content-Length`, `Date`, `Connection`) "
        "replacing its value, as the legacy server kept the answer's own. It is offered "
        "only when every return is `None` "
        "or such a tuple, each alone on its line. Overrides in a protocol subclass are "
        "rewritten with the subclass (see WSU304). A `process_request` imported from another "
        "module is rewritten there together with the legacy `serve()` call when `wsu check` "
        "checks both files and nothing else uses it; otherwise it is reported on the call "
        "with a hint only, saying why, and the call's migration waits for it (flake8 and the "
        "language server see one file: always the hint). One that is no function of the "
        "module the linter follows (`self.app.check`, a parameter, a call's result) is "
        "reported on the call with a hint, and the call stays legacy: moved alone, the new "
        "`serve()` would call the legacy signature."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for callback in ctx.model.callbacks:
        if callback.role != "process_request" or not _is_legacy(callback):
            continue
        function = callback.target.function
        node = function
        name = getattr(function, "name", "<lambda>")
        # The rewrite's edits are built only if asked: most are never applied nor shown.
        edits = _rewrite(ctx, callback) if callback.site else override_edits(ctx, callback)
        yield ctx.diagnostic(
            SPEC,
            node,
            SPEC.message.format(name=name),
            end_node=_signature_end(function),
            edits=edits or (),
            applicability=Applicability.UNSAFE,
            edits_within=function,
        )

    # Passed by another module to a serve() this run migrates, or to a new one.
    for callback, legacy in remote_callbacks(ctx, "process_request"):
        if _is_legacy(callback, legacy):
            yield ctx.diagnostic(
                SPEC,
                callback.target.function,
                SPEC.message.format(name=getattr(callback.target.function, "name", "")),
                end_node=_signature_end(callback.target.function),
                edits=_rewrite(ctx, callback) or (),
                applicability=Applicability.UNSAFE,
                edits_within=callback.target.function,
            )

    for imported in imported_callbacks(ctx, "process_request"):
        yield ctx.diagnostic(
            SPEC,
            imported.keyword,
            imported.described("process_request", "process_request(connection, request)"),
            fix_title=imported.fix_title,
            applicability=Applicability.DISPLAY_ONLY,
        )


def _signature_end(function: ast.AST) -> ast.AST:
    if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        params = function.args.args or function.args.posonlyargs
        if params:
            return params[-1]
    return function


#: First parameters of a callback already written for the new server (the fix writes
#: ``connection``): such a callback is never reported, even on a legacy ``serve()``, so
#: that the fix's own output is not rewritten again.
NEW_FIRST = frozenset({"connection", "conn", "websocket", "ws"})


def _is_legacy(callback: Callback, legacy_call: bool | None = None) -> bool:
    """``legacy_call``: whether the ``serve()`` calling it is legacy, when it is not
    ``callback.site`` (a callback of another module's call)."""
    params = callback_params(callback)
    if (
        len(params) == 2
        and params[0].arg in NEW_FIRST
        and params[1].arg == "request"
        and not any(_is_status_tuple(r.value) for r in own_returns(callback.target.function))
    ):
        return False
    if legacy_call is None:
        legacy_call = callback.site is None or callback.site.legacy
    if legacy_call:
        return True
    if params and params[0].arg in LEGACY_FIRST:
        return True
    if len(params) > 1 and params[1].arg in LEGACY_SECOND:
        return True
    return any(_is_status_tuple(r.value) for r in own_returns(callback.target.function))


def _is_status_tuple(value: ast.expr | None) -> bool:
    return isinstance(value, ast.Tuple) and len(value.elts) == 3


def _rewrite(ctx: Context, callback: Callback) -> Callable[[], list[Edit]] | None:
    function = callback.target.function
    if isinstance(function, ast.Lambda):
        return None
    return process_request_rewrite(ctx, function, callback_params(callback))


def rewritten_raises(ctx: Context) -> set[int]:
    """Ids of the ``raise AbortHandshake(...)`` statements the fix turns into responses."""
    cached = ctx.cache.get("wsu302_rewritten_raises")
    if cached is not None:
        return cast(set[int], cached)
    found: set[int] = set()
    for callback in ctx.model.callbacks:
        if callback.role != "process_request" or callback.site is None:
            continue
        if _is_legacy(callback) and _rewrite(ctx, callback) is not None:
            function = callback.target.function
            found.update(id(stmt) for stmt in own_raises(function) if abort_answer(ctx, stmt))
    ctx.cache["wsu302_rewritten_raises"] = found
    return found


RULE = Rule(SPEC, check)
