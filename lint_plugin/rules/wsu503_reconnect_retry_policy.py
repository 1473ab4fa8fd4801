"""WSU503 reconnect-retry-policy."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin import names
from lint_plugin.context import Context
from lint_plugin.model import Diagnostic, FixAvailability
from lint_plugin.rules._arguments import has_keyword
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU503",
    name="reconnect-retry-policy",
    summary="`async for ws in connect(...)` retries fewer errors in the new implementation",
    message="The new `connect()` retries only network errors and HTTP 500/502/503/504 "
    "(the legacy one retried any error); pass `process_exception=` to choose (return `None` "
    "to retry, the exception to stop)",
    fix_title="Pass `process_exception=` if other errors must be retried",
    fix_availability=FixAvailability.NONE,
    applicability=None,
    deprecated_in="13.1 (behaviour of the new implementation's reconnect loop)",
    fix_from=(13, 1),
    flags_deprecated_api=False,
    example_flagged_at=(4, 27),
    default_enabled=False,
    what_it_does=(
        "Checks for reconnection loops (`async for websocket in connect(...)`) without "
        "`process_exception=`."
    ),
    why_bad=(
        "The legacy reconnection loop retried after any exception. The new one asks "
        "`process_exception(exc)`: by default only `OSError`, `TimeoutError`, a handshake cut "
        "short by EOF and HTTP 500, 502, 503 or 504 are retried; anything else ends the loop. "
        "In the code, returning `None` means retry and returning an exception makes it fatal "
        "(the upgrade guide's `lambda exc: exc` recipe is inverted)."
    ),
    example=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main():\n"
        '    async for websocket in connect("ws://localhost:8765"):\n'
        '        await websocket.send("hello")\n'
    ),
    use_instead=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "def retry_everything(exc):\n"
        "    return None\n"
        "\n"
        "async def main():\n"
        "    async for websocket in connect(\n"
        '        "ws://localhost:8765", process_exception=retry_everything\n'
        "    ):\n"
        '        await websocket.send("hello")\n'
    ),
    fix_safety="No fix: which errors deserve a retry is the application's policy.",
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    sites = {id(site.node): site for site in ctx.model.call_sites if site.family == "connect"}
    for node in ctx.nodes:
        if not isinstance(node, ast.AsyncFor) or id(node.iter) not in sites:
            continue
        site = sites[id(node.iter)]
        if site.qualname.canonical in names.LEGACY_CONNECT or site.legacy:
            continue  # still the legacy loop: nothing changed yet
        if not has_keyword(ctx, site, "process_exception"):
            yield ctx.diagnostic(SPEC, site.node, SPEC.message)


RULE = Rule(SPEC, check)
