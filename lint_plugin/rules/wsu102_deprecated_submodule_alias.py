"""WSU102 deprecated-submodule-alias."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.names import DEPRECATION_BY_PATH, ROOT
from lint_plugin.rules._refs import name_references, replaced_reference
from lint_plugin.spec import Rule, RuleSpec

PATHS = frozenset(
    {
        "client.connect",
        "client.unix_connect",
        "client.WebSocketClientProtocol",
        "client.ClientConnection",
        "server.serve",
        "server.unix_serve",
        "server.broadcast",
        "server.WebSocketServer",
        "server.WebSocketServerProtocol",
        "server.ServerConnection",
    }
)
#: The modules whose names are moved by importing another module under their alias.
ALIASED_MODULES = frozenset(f"{ROOT}.{module}" for module in ("client", "server"))
#: Sans-I/O renames: same class, so the fix keeps behaviour.
SANS_IO = frozenset({"client.ClientConnection", "server.ServerConnection"})

SPEC = RuleSpec(
    code="WSU102",
    name="deprecated-submodule-alias",
    summary="Deprecated alias in `websockets.client` / `websockets.server`",
    message="`{old}` is a deprecated alias; use `{new}`",
    fix_title="Replace with `{new}`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0 (11.0 for the Sans-I/O `ClientConnection` / `ServerConnection`)",
    fix_from=(13, 0),
    example_flagged_at=(1, 30),
    what_it_does=(
        "Checks for `websockets.client.{connect, unix_connect, WebSocketClientProtocol}`, "
        "`websockets.server.{serve, unix_serve, broadcast, WebSocketServer, "
        "WebSocketServerProtocol}` and the Sans-I/O `websockets.client.ClientConnection` / "
        "`websockets.server.ServerConnection`. `ClientProtocol` and `ServerProtocol` are fine."
    ),
    why_bad=(
        "These names are kept for backwards compatibility and point to the deprecated legacy "
        "implementation (or, for `ClientConnection` / `ServerConnection`, to the Sans-I/O "
        "classes renamed in 11.0). They emit a `DeprecationWarning` and will be removed."
    ),
    example=(
        "from websockets.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765") as websocket:\n'
        "        print(await websocket.recv())\n"
    ),
    use_instead=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765") as websocket:\n'
        "        print(await websocket.recv())\n"
    ),
    fix_safety=(
        "Renaming the Sans-I/O `ClientConnection` / `ServerConnection` to `ClientProtocol` / "
        "`ServerProtocol` is safe: they are the same classes. Moving `connect`, `serve` and the "
        "other asyncio names to `websockets.asyncio.*` is unsafe: the code then runs on the new "
        "implementation, whose arguments and attributes differ. "
        "Read through the module imported under a name of its own (`import "
        "websockets.client as ws`, then `ws.connect`), the fix imports "
        "`websockets.asyncio.client` under that name instead, renaming what differs, when "
        "every name read through it has a replacement there; else it is a hint. "
        "A legacy connection class used in `isinstance(x, ...)` where `x` is not known to come "
        "from a `connect()` or `serve()` of the module is not renamed (a hint says why): a "
        "legacy connection made elsewhere would fail the renamed test."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for ref in name_references(ctx):
        if ref.kind == "import" or ref.path not in PATHS:
            continue
        entry = DEPRECATION_BY_PATH[ref.path]
        assert entry.replacement is not None
        safe = ref.path in SANS_IO
        module = ref.path.partition(".")[0]
        yield replaced_reference(
            ctx,
            SPEC,
            ref,
            entry.replacement,
            Applicability.SAFE if safe else Applicability.UNSAFE,
            replacement_of=functools.partial(_replacement_in, module),
        )


def _replacement_in(module: str, name: str) -> str | None:
    return _replacement(f"{module}.{name}")


def _replacement(path: str) -> str | None:
    """A legacy alias's replacement; ``None`` for any other name of the module, and for the
    Sans-I/O renames (they stay in the module the asyncio names leave)."""
    if path not in PATHS or path in SANS_IO:
        return None
    return DEPRECATION_BY_PATH[path].replacement


RULE = Rule(SPEC, check)
