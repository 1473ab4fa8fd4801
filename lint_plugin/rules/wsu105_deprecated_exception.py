"""WSU105 deprecated-exception."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace

from lint_plugin import names
from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, Edit, FixAvailability, Requirement
from lint_plugin.rules._edits import (
    binding_for_alias,
    references,
    remove_list_item,
    remove_statement,
)
from lint_plugin.rules._raised_by import broad_reads, catching_handler, outside_reason
from lint_plugin.rules._refs import (
    NameRef,
    name_references,
    renamed_nodes,
    replaced_reference,
)
from lint_plugin.rules._rewrites_exceptions import (
    StringChain,
    flowing_attributes,
    mentioned_in_strings,
    string_chains,
    with_requirement,
)
from lint_plugin.rules.wsu302_legacy_process_request import rewritten_raises
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
        "or `websockets.exceptions`, and `.status_code` read on an exception caught by "
        "`except Exception as exc` around a `connect()` of the module (a hint: `exc` may be "
        "another exception). `InvalidMessage` is not deprecated and is not flagged."
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
        "def describe(exc: Exception) -> str:\n"
        '    return "HTTP error" if isinstance(exc, InvalidStatusCode) else "other"\n'
    ),
    use_instead=(
        "from websockets.exceptions import InvalidStatus\n"
        "\n"
        "def describe(exc: Exception) -> str:\n"
        '    return "HTTP error" if isinstance(exc, InvalidStatus) else "other"\n'
    ),
    fix_safety=(
        "Renaming `WebSocketProtocolError` to `ProtocolError` is safe: they are the same class. "
        "Renaming `InvalidStatusCode` to `InvalidStatus` (and `exc.status_code` to "
        "`exc.response.status_code`) is unsafe: the legacy client raises `InvalidStatusCode`, so "
        "the new `except` clause only matches once the client runs on the new implementation. "
        "So an `except InvalidStatusCode` clause is renamed only where a `connect()` of the "
        "module is called in its `try` (directly or through the module's functions it calls) "
        "and moves with it, or the threading client's `connect()`, which raises "
        "`InvalidStatus` already (the clause never matched); where the client raising "
        "into it is elsewhere (another module, "
        "another package's client) or a call there passes legacy-only arguments "
        "(`extra_headers=`, `create_protocol=`: another package's wrapper of the legacy "
        "client), the clause and its `status_code` reads get a hint saying so. "
        "`exc.status_code` is rewritten wherever `exc` is known to be one: bound by `except`, "
        "narrowed by `isinstance`, or a parameter annotated with the class. "
        "The class is renamed inside string annotations too; one written with escapes or "
        "in parts gets a hint. "
        "`AbortHandshake` and `RedirectHandshake` get a hint only (WSU302 turns an "
        "`AbortHandshake` raised in `process_request` into a returned response); once nothing "
        "uses them, removing their import is safe: importing them is what warns."
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
            removal, uses = _import_removal(ctx, ref)
            diagnostic = ctx.diagnostic(
                SPEC,
                ref.node,
                f"`{old}` is deprecated; in `process_request`, return "
                "`connection.respond(status, text)` instead of raising it",
                fix_title="Remove the import"
                if removal
                else "Return `connection.respond(...)` from `process_request`",
                edits=removal,
                applicability=Applicability.UNSAFE if uses else Applicability.SAFE,
            )
            # Dropping an unused import is right on either implementation; dropping one
            # whose raises WSU302 turns into responses, only with that rewrite.
            yield with_requirement(diagnostic, Requirement.NEW if uses else Requirement.BOTH)
            continue
        new_path = f"{module}.{new_name}" if module else new_name
        diagnostic = replaced_reference(ctx, SPEC, ref, new_path, applicability)
        if name == "InvalidStatusCode":
            diagnostic = _held_outside(ctx, renamed_nodes(ctx, ref), diagnostic)
        yield diagnostic
    for chain in string_chains(ctx):
        module, _, name = chain.path.rpartition(".")
        if module in MODULES and name in REPLACEMENTS:
            yield _string_chain(ctx, chain, REPLACEMENTS[name])
    yield from _moved_attributes(ctx)


def _string_chain(
    ctx: Context, chain: StringChain, replacement: tuple[str | None, Applicability]
) -> Diagnostic:
    """``"websockets.exceptions.InvalidStatusCode"`` in a string annotation: renamed inside
    the string (same module, so no import changes); a hint when the literal's text is not
    its value, or the class has no drop-in replacement."""
    new_name, applicability = replacement
    old = chain.qualname.display
    edits = []
    if new_name is None:
        message = f"`{old}` is deprecated; in `process_request`, return `connection.respond(...)`"
        title = "Return `connection.respond(...)` from `process_request`"
    else:
        new = f"{old.rpartition('.')[0]}.{new_name}"
        message = SPEC.message.format(old=old, new=new)
        title = SPEC.fix_title.format(new=new)
        if chain.span is not None:
            base = chain.text.rpartition(".")[0]
            edits.append(Edit(*chain.span, f"{base}.{new_name}"))
    diagnostic = ctx.diagnostic(
        SPEC, chain.literal, message, fix_title=title, edits=edits, applicability=applicability
    )
    if chain.span is None:
        return diagnostic
    return replace(diagnostic, start=chain.span[0], end=chain.span[1])


def _moved_attributes(ctx: Context) -> Iterator[Diagnostic]:
    """``exc.status_code`` where ``exc`` is an ``InvalidStatusCode``: caught by ``except``,
    narrowed by ``isinstance`` or a parameter annotated with it."""
    for name, node in flowing_attributes(ctx, names.INVALID_STATUS_CODE, set(MOVED_ATTRIBUTES)):
        new = f"{name}.{MOVED_ATTRIBUTES[node.attr]}"
        diagnostic = ctx.diagnostic(
            SPEC,
            node,
            f"`InvalidStatusCode.{node.attr}` is deprecated; use `{new}` on `InvalidStatus`",
            fix_title=f"Replace with `{new}`",
            edits=[ctx.replace(node, new)],
            applicability=Applicability.UNSAFE,
        )
        # Right only once the exception is the new InvalidStatus.
        yield _held_outside(ctx, [node], with_requirement(diagnostic, Requirement.NEW))
    for name, node in broad_reads(ctx, "status_code"):
        # ``except Exception as exc`` around connect(): ``exc`` may be anything, so the
        # right change (``isinstance(exc, InvalidStatus)``, then ``exc.response``) is the
        # user's; the read is reported, or it silently stops matching once migrated.
        diagnostic = ctx.diagnostic(
            SPEC,
            node,
            f"`{name}.status_code` is the legacy `InvalidStatusCode`'s; the new `connect()`"
            f" raises `InvalidStatus`, whose status is `{name}.response.status_code`",
            fix_title=f"Test `isinstance({name}, InvalidStatus)`, then read"
            f" `{name}.response.status_code`",
            applicability=Applicability.UNSAFE,
        )
        yield with_requirement(diagnostic, Requirement.NEW)


def _held_outside(ctx: Context, nodes: list[ast.AST], diagnostic: Diagnostic) -> Diagnostic:
    """A hint instead of the rename where it would reach an ``except`` clause that a client
    this module does not move raises into (``_raised_by``): the renamed clause would stop
    catching it."""
    reason = None
    for node in nodes:
        handler = catching_handler(ctx, node)
        if handler is None:
            continue
        reason = outside_reason(ctx, handler)
        if reason is not None:
            if node is not nodes[0]:
                reason = f"the `except` at line {handler.lineno}: {reason}"
            break
    if reason is None or diagnostic.fix is None:
        return diagnostic
    hint = diagnostic.fix.replaced(edits=(), applicability=Applicability.DISPLAY_ONLY)
    return diagnostic.replaced(message=f"{diagnostic.message} (not migrated: {reason})", fix=hint)


def _import_removal(ctx: Context, ref: NameRef) -> tuple[list[Edit], bool]:
    """Drop ``from ... import AbortHandshake`` (importing it is what warns) once nothing
    uses the name but raises that WSU302 rewrites into responses; names also mentioned in
    strings (annotations, ``__all__``) are kept. Returns the edits and whether such raises
    exist."""
    if ref.kind != "from-import" or ref.alias is None or ref.statement is None:
        return [], False
    binding = binding_for_alias(ctx, ref.alias)
    bound = ref.alias.asname or ref.alias.name
    if binding is None or mentioned_in_strings(ctx, bound):
        return [], False
    uses = references(ctx, binding)
    rewritten = rewritten_raises(ctx)
    for use in uses:
        call = ctx.model.parent(use)
        statement = ctx.model.parent(call) if call is not None else None
        if id(statement) not in rewritten:
            return [], False
    if len(ref.statement.names) == 1:
        return [remove_statement(ctx, ref.statement)], bool(uses)
    removal = remove_list_item(ctx, ref.statement.names, ref.alias)
    return ([], False) if removal is None else ([removal], bool(uses))


RULE = Rule(SPEC, check)
