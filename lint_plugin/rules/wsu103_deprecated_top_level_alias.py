"""WSU103 deprecated-top-level-alias."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.names import DEPRECATION_BY_PATH
from lint_plugin.rules._refs import name_references, replaced_reference
from lint_plugin.spec import Rule, RuleSpec

PATHS = frozenset(
    {
        "WebSocketClientProtocol",
        "WebSocketServerProtocol",
        "WebSocketServer",
        "WebSocketCommonProtocol",
        "BasicAuthWebSocketServerProtocol",
        "basic_auth_protocol_factory",
    }
)
#: No drop-in replacement: HTTP Basic Auth moved to a process_request callable.
HINT_ONLY = frozenset({"BasicAuthWebSocketServerProtocol", "basic_auth_protocol_factory"})

SPEC = RuleSpec(
    code="WSU103",
    name="deprecated-top-level-alias",
    summary="Deprecated top-level alias to a legacy class or function",
    message="`{old}` is a deprecated alias to the legacy implementation; use `{new}`",
    fix_title="Replace with `{new}`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0",
    fix_from=(13, 0),
    example_flagged_at=(3, 29),
    what_it_does=(
        "Checks for `websockets.WebSocketClientProtocol`, `WebSocketServerProtocol`, "
        "`WebSocketServer`, `WebSocketCommonProtocol`, `BasicAuthWebSocketServerProtocol` and "
        "`basic_auth_protocol_factory`."
    ),
    why_bad=(
        "Since websockets 14.0 these top-level names are deprecated aliases to the legacy "
        "implementation. The new classes are `ClientConnection`, `ServerConnection` and `Server` "
        "(top-level since 14.2; `websockets.asyncio.*` before), and HTTP Basic Auth is a "
        "`process_request=basic_auth(...)` callable."
    ),
    example=(
        "import websockets\n"
        "\n"
        "async def handler(websocket: websockets.WebSocketServerProtocol):\n"
        '    await websocket.send("hi")\n'
    ),
    use_instead=(
        "import websockets\n"
        "\n"
        "async def handler(websocket: websockets.ServerConnection):\n"
        '    await websocket.send("hi")\n'
    ),
    fix_safety=(
        "The fix renames the class (and every use of a name imported with `from`) and is unsafe: "
        "the new classes have a different API, and `isinstance` checks or subclasses change "
        "meaning. On targets before 14.2 it uses the `websockets.asyncio.*` path. "
        "`BasicAuthWebSocketServerProtocol` and `basic_auth_protocol_factory` get a hint only. "
        "A legacy connection class used in `isinstance(x, ...)` where `x` is not known to come "
        "from a `connect()` or `serve()` of the module is not renamed (a hint says why): a "
        "legacy connection made elsewhere would fail the renamed test."
    ),
)


def replacement_for(path: str, target: tuple[int, ...]) -> str | None:
    entry = DEPRECATION_BY_PATH[path]
    if entry.replacement_since is not None and target < entry.replacement_since:
        return entry.fallback
    return entry.replacement


def check(ctx: Context) -> Iterator[Diagnostic]:
    for ref in name_references(ctx):
        if ref.kind == "import" or ref.path not in PATHS:
            continue
        new_path = replacement_for(ref.path, ctx.target_version)
        assert new_path is not None
        old = ref.qualname.render(ref.path)
        new = ref.qualname.render(new_path)
        if ref.path in HINT_ONLY:
            yield ctx.diagnostic(
                SPEC,
                ref.node,
                f"`{old}` is deprecated; pass `process_request={new}(...)` to `serve()` instead",
                fix_title=f"Use `process_request={new}(...)`",
                applicability=Applicability.DISPLAY_ONLY,
            )
            continue
        yield replaced_reference(ctx, SPEC, ref, new_path, Applicability.UNSAFE)


RULE = Rule(SPEC, check)
