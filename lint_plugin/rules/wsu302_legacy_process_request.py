"""WSU302 legacy-process-request."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, Edit, FixAvailability
from lint_plugin.rules._edits import string_literal
from lint_plugin.rules._signatures import callback_params, own_returns, rename_params
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
        'headers with `request.headers`, and turns each `return status, [], b"body"` into '
        '`return connection.respond(status, "body")`. It is offered only when every return '
        "is `None` or such a tuple with no extra headers and a literal body (`respond()` "
        "cannot add headers); methods of protocol subclasses get a hint only."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for callback in ctx.model.callbacks:
        if callback.role != "process_request" or not _is_legacy(callback):
            continue
        function = callback.target.function
        node = function
        name = getattr(function, "name", "<lambda>")
        edits = None if callback.site is None else _fix(ctx, callback)
        yield ctx.diagnostic(
            SPEC,
            node,
            SPEC.message.format(name=name),
            end_node=_signature_end(function),
            edits=edits or (),
            applicability=Applicability.UNSAFE,
        )


def _signature_end(function: ast.AST) -> ast.AST:
    if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        params = function.args.args or function.args.posonlyargs
        if params:
            return params[-1]
    return function


def _is_legacy(callback: Callback) -> bool:
    if callback.site is None or callback.site.legacy:
        return True
    params = callback_params(callback)
    if params and params[0].arg in LEGACY_FIRST:
        return True
    if len(params) > 1 and params[1].arg in LEGACY_SECOND:
        return True
    return any(_is_status_tuple(r.value) for r in own_returns(callback.target.function))


def _is_status_tuple(value: ast.expr | None) -> bool:
    return isinstance(value, ast.Tuple) and len(value.elts) == 3


def _fix(ctx: Context, callback: Callback) -> list[Edit] | None:
    function = callback.target.function
    params = callback_params(callback)
    if len(params) != 2 or function.args.vararg or function.args.kwonlyargs:
        return None
    path, headers = params
    edits = rename_params(
        ctx,
        function,
        params,
        ("connection", "request"),
        {path.arg: "request.path", headers.arg: "request.headers"},
    )
    if edits is None:
        return None
    if isinstance(function, ast.Lambda):
        return None
    for ret in own_returns(function):
        if ret.value is None or (isinstance(ret.value, ast.Constant) and ret.value.value is None):
            continue
        if not _is_status_tuple(ret.value):
            return None
        assert isinstance(ret.value, ast.Tuple)
        status, extra_headers, body = ret.value.elts
        if not _is_empty_literal(extra_headers):
            return None
        text = _body_text(body)
        if text is None or _mentions(status, {path.arg, headers.arg}):
            return None
        edits.append(ctx.replace(ret.value, f"connection.respond({ctx.text(status)}, {text})"))
    return edits


def _is_empty_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return not node.elts
    if isinstance(node, ast.Dict):
        return not node.keys
    return isinstance(node, ast.Constant) and node.value is None


def _body_text(body: ast.expr) -> str | None:
    if isinstance(body, ast.Constant) and isinstance(body.value, bytes):
        try:
            return string_literal(body.value.decode("utf-8"))
        except UnicodeDecodeError:
            return None
    if isinstance(body, ast.Constant) and isinstance(body.value, str):
        return string_literal(body.value)
    return None


def _mentions(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node))


RULE = Rule(SPEC, check)
