"""WSU105 deprecated-exception."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin import names
from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._connections import caught_attributes
from lint_plugin.rules._refs import name_references, replaced_reference
from lint_plugin.spec import Rule, RuleSpec

#: name -> (replacement in the same module, applicability of the rename).
REPLACEMENTS: dict[str, tuple[str | None, Applicability]] = {
    "InvalidStatusCode": ("InvalidStatus", Applicability.UNSAFE),
    "WebSocketProtocolError": ("ProtocolError", Applicability.SAFE),
    "AbortHandshake": (None, Applicability.DISPLAY_ONLY),
    "RedirectHandshake": (None, Applicability.DISPLAY_ONLY),
}
MODULES = ("", "exceptions")
MOVED_ATTRIBUTES = {"status_code": "response.status_code", "headers": "response.headers"}

SPEC = RuleSpec(
    code="WSU105",
    name="deprecated-exception",
    summary="Deprecated legacy exception",
    message="`{old}` is deprecated; use `{new}`",
    fix_title="Replace with `{new}`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0",
    fix_from=(13, 0),
    example_flagged_at=(1, 34),
    what_it_does=(
        "Checks for `InvalidStatusCode` (and `.status_code` / `.headers` on a caught one), "
        "`AbortHandshake`, `RedirectHandshake` and `WebSocketProtocolError`, from the top level "
        "or `websockets.exceptions`. `InvalidMessage` is not deprecated and is not flagged."
    ),
    why_bad=(
        "These exceptions belong to the legacy implementation. The new client raises "
        "`InvalidStatus`, whose `response` carries the status code and headers; a "
        "`process_request` callable returns `connection.respond(...)` instead of raising "
        "`AbortHandshake`; `WebSocketProtocolError` is an old alias of `ProtocolError`."
    ),
    example=(
        "from websockets.exceptions import InvalidStatusCode\n"
        "\n"
        "def describe(exc: InvalidStatusCode) -> int:\n"
        "    return exc.status_code\n"
    ),
    use_instead=(
        "from websockets.exceptions import InvalidStatus\n"
        "\n"
        "def describe(exc: InvalidStatus) -> int:\n"
        "    return exc.response.status_code\n"
    ),
    fix_safety=(
        "Renaming `WebSocketProtocolError` to `ProtocolError` is safe: they are the same class. "
        "Renaming `InvalidStatusCode` to `InvalidStatus` (and `exc.status_code` to "
        "`exc.response.status_code`) is unsafe: the legacy client raises `InvalidStatusCode`, so "
        "the new `except` clause only matches once the client runs on the new implementation. "
        "`AbortHandshake` and `RedirectHandshake` get a hint only."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for ref in name_references(ctx):
        if ref.kind == "import":
            continue
        module, _, name = ref.path.rpartition(".")
        if module not in MODULES or name not in REPLACEMENTS:
            continue
        new_name, applicability = REPLACEMENTS[name]
        old = ref.qualname.render(ref.path)
        if new_name is None:
            yield ctx.diagnostic(
                SPEC,
                ref.node,
                f"`{old}` is deprecated; in `process_request`, return "
                "`connection.respond(status, text)` instead of raising it",
                fix_title="Return `connection.respond(...)` from `process_request`",
                applicability=Applicability.DISPLAY_ONLY,
            )
            continue
        new_path = f"{module}.{new_name}" if module else new_name
        yield replaced_reference(ctx, SPEC, ref, new_path, applicability)
    yield from _moved_attributes(ctx)


def _moved_attributes(ctx: Context) -> Iterator[Diagnostic]:
    """``exc.status_code`` where ``exc`` was bound by ``except InvalidStatusCode as exc``."""
    for handler, node in caught_attributes(ctx, names.INVALID_STATUS_CODE, MOVED_ATTRIBUTES):
        new = f"{handler.name}.{MOVED_ATTRIBUTES[node.attr]}"
        yield ctx.diagnostic(
            SPEC,
            node,
            f"`InvalidStatusCode.{node.attr}` is deprecated; use `{new}` on `InvalidStatus`",
            fix_title=f"Replace with `{new}`",
            edits=[ctx.replace(node, new)],
            applicability=Applicability.UNSAFE,
        )


RULE = Rule(SPEC, check)
