"""WSU206 connection-host-port-secure."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Diagnostic, FixAvailability
from lint_plugin.rules._connections import hinted_attributes
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
    fix_availability=FixAvailability.NONE,
    applicability=None,
    deprecated_in="8.0",
    fix_from=(8, 0),
    example_flagged_at=(4, 29),
    what_it_does="Checks for the `host`, `port` and `secure` attributes of a connection.",
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
        "No fix: the replacement depends on the side of the connection (`host` was the "
        "server's own address on a server and the peer's on a client) and on what the code "
        "means by it."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    return hinted_attributes(ctx, SPEC, HINTS)


RULE = Rule(SPEC, check)
