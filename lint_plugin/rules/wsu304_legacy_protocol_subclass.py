"""WSU304 legacy-protocol-subclass."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin import names
from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._rewrites_subclass import PLAN_TITLES, subclass_plan
from lint_plugin.spec import Rule, RuleSpec

#: Overrides not reported again at their ``def``: those of their own rules (WSU302,
#: WSU303, WSU411) and ``asyncio.Protocol``'s callbacks (named in the class finding only:
#: every protocol has them, they are not websockets internals).
_NOT_AT_DEF = frozenset(
    {
        "process_request",
        "select_subprotocol",
        "check_credentials",
        "connection_made",
        "connection_lost",
    }
)

_RECV = "`create_connection=` with a connection subclass overriding `recv()`"
_CLOSE = "`create_connection=` with a connection subclass overriding `close()`"

#: Legacy internals that subclasses override, and what replaces the customisation.
OVERRIDES = {
    "process_request": "a `process_request=` callable",
    "select_subprotocol": "a `select_subprotocol=` callable",
    "process_origin": "the `origins=` argument or `process_request=`",
    "process_extensions": "the `extensions=` argument",
    "process_subprotocol": "the `subprotocols=` / `select_subprotocol=` arguments",
    "ws_handler": "the handler passed to `serve()`",
    "handshake": "`process_request=` / `process_response=`",
    "read_http_request": "`process_request=`",
    "write_http_response": "`process_response=`",
    "read_http_response": "`process_response` on the server, or the `response` attribute",
    "write_http_request": "`additional_headers=`",
    "connection_made": "`create_connection=` with a `ServerConnection` / `ClientConnection` "
    "subclass",
    "connection_lost": "`await connection.wait_closed()`",
    "check_credentials": "`basic_auth(check_credentials=...)`",
    # The connection's own machinery (WSU207's members), overridden to change how it reads,
    # writes or closes: a connection subclass given to `create_connection=` does that now.
    "read_message": _RECV,
    "read_data_frame": _RECV,
    "read_frame": _RECV,
    "transfer_data": _RECV,
    "write_frame": "`create_connection=` with a connection subclass overriding `send()`",
    "write_close_frame": _CLOSE,
    "close_connection": _CLOSE,
    "fail_connection": _CLOSE,
    "keepalive_ping": "the `ping_interval` / `ping_timeout` arguments",
    "ensure_open": "`create_connection=` with a connection subclass",
    "connection_open": "`create_connection=` with a connection subclass",
}

SPEC = RuleSpec(
    code="WSU304",
    name="legacy-protocol-subclass",
    summary="Subclass or instance of a legacy protocol class",
    message="`{name}` {verb} the legacy `{base}`; use {hint}",
    fix_title="Use {hint}",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0",
    fix_from=(13, 0),
    example_flagged_at=(3, 0),
    what_it_does=(
        "Checks for classes that subclass, and calls that instantiate, a legacy class "
        "(`WebSocketServerProtocol`, `WebSocketClientProtocol`, `WebSocketCommonProtocol`, "
        "`BasicAuthWebSocketServerProtocol`, the legacy `Connect` / `Serve`), and names the "
        "legacy internals such subclasses override. Each override of a legacy internal "
        "(`process_subprotocol`, `ws_handler`, `handshake`, `read_http_request`, ...) is also "
        "reported at its own `def`; `process_request`, `select_subprotocol` and "
        "`check_credentials` overrides are WSU302's, WSU303's and WSU411's, and "
        "`asyncio.Protocol`'s `connection_made` / `connection_lost` are named in the class "
        "finding only."
    ),
    why_bad=(
        "Customising the legacy server or client meant subclassing its protocol and passing "
        "`create_protocol=`. The new implementation is customised with callables: "
        "`process_request`, `select_subprotocol` and `process_response` receive the connection; "
        "`create_connection=` takes a `ServerConnection` / `ClientConnection` subclass for what "
        "remains."
    ),
    example=(
        "from websockets.legacy.server import WebSocketServerProtocol\n"
        "\n"
        "class HealthCheckProtocol(WebSocketServerProtocol):\n"
        "    async def process_request(self, path, request_headers):\n"
        '        if path == "/healthz":\n'
        '            return 200, [], b"OK\\n"\n'
    ),
    use_instead=(
        "def health_check(connection, request):\n"
        '    if request.path == "/healthz":\n'
        '        return connection.respond(200, "OK\\n")\n'
    ),
    fix_safety=(
        "Unsafe, and offered for three shapes only, as one migration with the import switch "
        "and the arguments passing the class (WSU404, WSU405 offer the same edits): a "
        "subclass that overrides only public methods keeping their meaning (`send`, `recv`, "
        "`close`, `ping`, `pong`, `wait_closed`) and adds members of its own is rebased onto "
        "`ClientConnection` / `ServerConnection` and passed as `create_connection=`; a server "
        "subclass that only overrides `process_request` and/or `select_subprotocol` becomes "
        "module-level functions passed to `serve()` (`self` is the connection; "
        "`super().process_request(...)`, which continued the handshake, becomes `None`); a "
        "`BasicAuthWebSocketServerProtocol` subclass setting only `realm` and "
        "`check_credentials` becomes `process_request=basic_auth(...)` (WSU411). "
        "The new classes are constructed differently and the new server calls "
        "`select_subprotocol` on every handshake. Any other subclass (`__init__`, "
        "`handshake`, legacy members) needs a hand edit, and holds back its migration unit."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    model = ctx.model
    for cls in model.classes:
        base = model.legacy_base(cls)
        if base is None:
            continue
        qualname = model.qualified_name(base)
        assert qualname is not None
        overridden = [
            stmt.name
            for stmt in cls.body
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in OVERRIDES
        ]
        if overridden:
            hint = "; ".join(f"{OVERRIDES[m]} for `{m}`" for m in overridden)
        else:
            hint = "`process_request` / `select_subprotocol` / `process_response` callables, or "
            hint += "`create_connection=` with a connection subclass"
        plan = subclass_plan(ctx, cls)
        yield ctx.diagnostic(
            SPEC,
            cls,
            SPEC.message.format(name=cls.name, verb="subclasses", base=qualname.display, hint=hint),
            fix_title=PLAN_TITLES[plan.kind] if plan else SPEC.fix_title.format(hint=hint),
            end_node=base,
            edits=plan.edits if plan else (),
            applicability=Applicability.UNSAFE if plan else None,
        )
        for stmt in cls.body:
            if (
                isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
                and stmt.name in OVERRIDES
                and stmt.name not in _NOT_AT_DEF
            ):
                hint = OVERRIDES[stmt.name]
                yield ctx.diagnostic(
                    SPEC,
                    stmt,
                    SPEC.message.format(
                        name=f"{cls.name}.{stmt.name}",
                        verb="overrides an internal of",
                        base=qualname.display,
                        hint=hint,
                    ),
                    fix_title=SPEC.fix_title.format(hint=hint),
                    end_node=_signature_end(stmt),
                )
    for site in model.call_sites:
        if (
            site.family != "protocol"
            and site.qualname.canonical not in names.LEGACY_FACTORY_CLASSES
        ):
            continue
        if site.qualname.canonical in names.LEGACY_FACTORY_CLASSES:
            # ``Connect(...)`` is the legacy ``connect()`` itself: the switch renames it.
            factory = "connect" if site.family == "connect" else "serve"
            hint = f"the new `{factory}()`, which `{ctx.text(site.callee)}(...)` is once moved"
        else:
            hint = "the connection objects that `connect()` and `serve()` create"
        yield ctx.diagnostic(
            SPEC,
            site.node,
            SPEC.message.format(
                name=ctx.text(site.callee),
                verb="instantiates",
                base=site.qualname.display,
                hint=hint,
            ),
            fix_title=SPEC.fix_title.format(hint=hint),
        )


def _signature_end(function: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.AST:
    """The last positional parameter (else the first statement), to keep the range short."""
    params = function.args.args or function.args.posonlyargs
    return params[-1] if params else function.body[0]


RULE = Rule(SPEC, check)
