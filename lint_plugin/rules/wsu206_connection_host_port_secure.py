"""WSU206 connection-host-port-secure."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._connections import connection_attributes
from lint_plugin.rules._edits import fstring_quote, needs_parens
from lint_plugin.rules._rewrites_roles import connection_role
from lint_plugin.spec import Rule, RuleSpec

HINTS = {
    "host": "`{conn}.local_address[0]` on a server, `{conn}.remote_address[0]` on a client",
    "port": "`{conn}.local_address[1]` on a server, `{conn}.remote_address[1]` on a client",
    "secure": '`{conn}.transport.get_extra_info("sslcontext") is not None` (the URI\'s scheme '
    "on a client)",
}

SPEC = RuleSpec(
    code="WSU206",
    name="connection-host-port-secure",
    summary="Deprecated `host` / `port` / `secure` attributes of a connection",
    message="`{conn}.{attr}` is deprecated (8.0) and gone in the new implementation; use {hint}",
    fix_title="Use {hint}",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="8.0",
    fix_from=(8, 0),
    example_flagged_at=(4, 29),
    what_it_does=(
        "Checks for the `host`, `port` and `secure` attributes of a connection. "
        "Connections of the threading implementation (`websockets.sync`: `with connect(...)`, "
        "`connect(...)`, `for ws in reconnect(...)`, `serve()` handlers, annotations) are "
        "checked too: they have the new API."
    ),
    why_bad=(
        "They are deprecated since websockets 8.0 and the new implementation does not have "
        "them. The socket addresses are `local_address` (the server's own) and "
        "`remote_address` (the peer's); the connection's request tells what was asked for."
    ),
    example=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "async def handler(websocket):\n"
        '    print("serving on port", websocket.port)\n'
        "\n"
        "async def main():\n"
        '    async with serve(handler, "localhost", 8765):\n'
        "        pass\n"
    ),
    use_instead=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "async def handler(websocket):\n"
        '    print("serving on port", websocket.local_address[1])\n'
        "\n"
        "async def main():\n"
        '    async with serve(handler, "localhost", 8765):\n'
        "        pass\n"
    ),
    fix_safety=(
        "Unsafe, and offered only where the side of the connection is known: a handler's "
        "connection is the server's, what `connect()` opened is the client's. On a server, "
        "`host` / `port` become `local_address[0]` / `[1]`, the socket's own address: "
        "`serve(..., port=0)` gave `port == 0`, the new code gives the port actually bound. "
        "On a client they become `remote_address[0]` / `[1]`, the peer's address: an IP "
        "where the URI may have named the host (`localhost`). `secure` becomes "
        '`transport.get_extra_info("sslcontext") is not None` on either side (TLS in use). '
        "Elsewhere, a hint only."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for node in connection_attributes(ctx, HINTS):
        conn = ctx.text(node.value)
        hint = HINTS[node.attr].format(conn=conn)
        message = SPEC.message.format(conn=conn, attr=node.attr, hint=hint)
        replaced = _replacement(ctx, node, conn)
        if replaced is None:
            yield ctx.diagnostic(SPEC, node, message, fix_title=SPEC.fix_title.format(hint=hint))
            continue
        target, replacement = replaced
        yield ctx.diagnostic(
            SPEC,
            node,
            message,
            fix_title=f"Replace with `{replacement}`",
            edits=[ctx.replace(target, replacement)],
            applicability=Applicability.UNSAFE,
        )


def _replacement(ctx: Context, node: ast.Attribute, conn: str) -> tuple[ast.AST, str] | None:
    """What to replace (the attribute, or the ``not`` around it) and with what."""
    if not isinstance(node.ctx, ast.Load):
        return None
    role = connection_role(ctx, node.value)
    if role is None:
        return None
    if node.attr == "secure":
        quote = "'" if fstring_quote(ctx, node) == '"' else '"'
        tls = f"{conn}.transport.get_extra_info({quote}sslcontext{quote})"
        parent = ctx.model.parent(node)
        if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
            text = f"{tls} is None"
            return parent, f"({text})" if needs_parens(ctx, parent) else text
        text = f"{tls} is not None"
        return node, f"({text})" if needs_parens(ctx, node) else text
    address = "local_address" if role == "server" else "remote_address"
    return node, f"{conn}.{address}[{0 if node.attr == 'host' else 1}]"


RULE = Rule(SPEC, check)
