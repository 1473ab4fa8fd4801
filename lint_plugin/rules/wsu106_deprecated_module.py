"""WSU106 deprecated-module."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from lint_plugin._deprecations_data import NEW_ASYNCIO_SINCE
from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._edits import reference_fix, rewrite_from_import
from lint_plugin.rules._refs import NameRef, name_references
from lint_plugin.spec import Rule, RuleSpec
from lint_plugin.upgrade import awaiting_upgrade


@dataclass(frozen=True)
class Moved:
    since: tuple[int, int]
    replacement: str | None
    """Module or name that replaced it, relative to the package root."""
    removed: tuple[int, int] | None = None
    renames: tuple[tuple[str, str], ...] = ()
    """For modules: names whose replacement the fix may import (old, new path)."""
    same_names: bool = False
    """For modules: every other name is importable from the replacement module too."""


DEPRECATED: dict[str, Moved] = {
    "auth": Moved((14, 0), "asyncio.server.basic_auth"),
    "connection": Moved(
        (11, 0), "protocol", renames=(("Connection", "protocol.Protocol"),), same_names=True
    ),
    "http": Moved(
        (9, 0),
        "datastructures",
        removed=(17, 0),
        renames=(
            ("Headers", "datastructures.Headers"),
            ("MultipleValuesError", "datastructures.MultipleValuesError"),
        ),
    ),
    "framing": Moved((9, 0), "frames", removed=(17, 0)),
    "handshake": Moved((9, 0), None, removed=(17, 0)),
    "parse_uri": Moved((9, 0), "uri.parse_uri", removed=(17, 0)),
    "WebSocketURI": Moved((9, 0), "uri.WebSocketURI", removed=(17, 0)),
    "protocol.WebSocketCommonProtocol": Moved((10, 0), "asyncio.connection.Connection"),
    # The legacy answer type of process_request (websocks): `websockets.legacy.server`
    # has it from 10.0; `websockets.server` has not (ImportError on 12.0 and later).
    "server.HTTPResponse": Moved((10, 0), "http11.Response", removed=(10, 0)),
}
#: Names whose fix is a plain move to the same object.
SAME_OBJECT = frozenset({"parse_uri", "WebSocketURI"})

SPEC = RuleSpec(
    code="WSU106",
    name="deprecated-module",
    summary="Deprecated or removed websockets module or top-level name",
    message="`{old}` is {status}; {advice}",
    fix_title="Replace with `{new}`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.SAFE,
    deprecated_in="9.0 (`http`, `framing`, `handshake`, `parse_uri`, `WebSocketURI`; removed "
    "17.0), 11.0 (`connection`), 14.0 (`auth`)",
    fix_from=(9, 0),
    example_flagged_at=(1, 0),
    what_it_does=(
        "Checks for `websockets.auth`, `websockets.connection`, `websockets.http`, the top-level "
        "`framing`, `handshake`, `parse_uri` and `WebSocketURI`, and the pre-10 paths "
        "`websockets.protocol.WebSocketCommonProtocol` and `websockets.server.HTTPResponse` "
        "(the legacy `process_request` answer type; the new one returns a "
        "`websockets.http11.Response`); a star import of a deprecated module "
        "(`from websockets.auth import *`) gets a hint."
    ),
    why_bad=(
        "These modules and names are deprecated aliases (they warn on import) or were removed "
        "in websockets 17.0 (importing them fails). Each has a replacement module."
    ),
    example='from websockets.http import Headers\n\nheaders = Headers(Origin="https://example.com")\n',
    use_instead=(
        "from websockets.datastructures import Headers\n\n"
        'headers = Headers(Origin="https://example.com")\n'
    ),
    fix_safety=(
        "The fix is safe where the replacement is the same object under another path "
        "(`Headers`, `MultipleValuesError`, `parse_uri`, `WebSocketURI`, `Connection` -> "
        "`Protocol` and the other names of `websockets.connection`); unused names are "
        "dropped. `websockets.auth`, `framing`, `handshake`, the legacy "
        "`WebSocketCommonProtocol` and `HTTPResponse` have no drop-in replacement and get a "
        "hint only."
    ),
)


def _status(moved: Moved) -> str:
    if moved.removed:
        return f"removed in websockets {moved.removed[0]}.{moved.removed[1]}"
    return f"deprecated since websockets {moved.since[0]}.{moved.since[1]}"


def check(ctx: Context) -> Iterator[Diagnostic]:
    seen_statements: set[int] = set()
    for ref in name_references(ctx):
        hit = _match(ref)
        if hit is None:
            continue
        path, moved, module_level = hit
        if ref.kind == "from-import" and module_level:
            # from websockets.http import Headers: one diagnostic per statement.
            assert ref.statement is not None
            if id(ref.statement) in seen_statements:
                continue
            seen_statements.add(id(ref.statement))
            diagnostic = _from_module(ctx, ref, path, moved)
        elif ref.kind == "chain" and module_level:
            continue  # the chain is reported once, where it names the module itself
        else:
            diagnostic = _name(ctx, ref, path, moved)
        yield _for_target(ctx, diagnostic, moved)
    yield from _star_imports(ctx)


def _for_target(ctx: Context, diagnostic: Diagnostic, moved: Moved) -> Diagnostic:
    needed = _replacement_since(moved)
    if ctx.target_version < needed:
        return awaiting_upgrade(diagnostic, needed, ctx.target_version)
    return diagnostic


def _star_imports(ctx: Context) -> Iterator[Diagnostic]:
    """``from websockets.auth import *``: the statement is reported, with a hint only
    (which names it brings is not known here)."""
    for star in ctx.model.star_imports:
        moved = DEPRECATED.get(star.path)
        if moved is None:
            continue
        new = f"{star.root}.{moved.replacement}" if moved.replacement else "no replacement"
        diagnostic = ctx.diagnostic(
            SPEC,
            star.statement,
            SPEC.message.format(
                old=f"{star.root}.{star.path}", status=_status(moved), advice=_advice(new, moved)
            ),
            fix_title=SPEC.fix_title.format(new=new) if moved.replacement else "Rewrite without it",
            applicability=Applicability.DISPLAY_ONLY,
        )
        yield _for_target(ctx, diagnostic, moved)


def _replacement_since(moved: Moved) -> tuple[int, ...]:
    """The first version with the replacement: the new asyncio API's, else the move's."""
    if moved.replacement is not None and moved.replacement.startswith("asyncio"):
        return NEW_ASYNCIO_SINCE
    return moved.since


def _match(ref: NameRef) -> tuple[str, Moved, bool] | None:
    """(deprecated path, entry, whether ``ref`` names something inside that module)."""
    path = ref.path
    if path in DEPRECATED:
        return path, DEPRECATED[path], False
    module = path.partition(".")[0]
    if module in DEPRECATED and module not in SAME_OBJECT and ref.kind != "import":
        return module, DEPRECATED[module], True
    return None


def _advice(new: str, moved: Moved) -> str:
    return f"use `{new}`" if moved.replacement else "it has no replacement"


def _new_text(ref: NameRef, moved: Moved) -> str:
    return ref.qualname.render(moved.replacement) if moved.replacement else "no replacement"


def _name(ctx: Context, ref: NameRef, path: str, moved: Moved) -> Diagnostic:
    old = ref.qualname.render(path)
    new = _new_text(ref, moved)
    edits = None
    if path in SAME_OBJECT and moved.replacement and ref.kind != "import":
        edits = reference_fix(
            ctx, ref.node, ref.kind, ref.alias, ref.qualname.root, moved.replacement
        )
    return ctx.diagnostic(
        SPEC,
        ref.node,
        SPEC.message.format(old=old, status=_status(moved), advice=_advice(new, moved)),
        fix_title=SPEC.fix_title.format(new=new) if moved.replacement else "Rewrite without it",
        edits=edits or (),
        applicability=Applicability.SAFE,
    )


def _from_module(ctx: Context, ref: NameRef, path: str, moved: Moved) -> Diagnostic:
    statement = ref.statement
    assert isinstance(statement, ast.ImportFrom)
    old = ref.qualname.render(path)
    new = _new_text(ref, moved)
    renames = dict(moved.renames)
    targets = {
        alias.name: renames.get(alias.name)
        or (f"{moved.replacement}.{alias.name}" if moved.same_names else None)
        for alias in statement.names
    }
    edits = rewrite_from_import(ctx, statement, targets, ref.qualname.root)
    return ctx.diagnostic(
        SPEC,
        statement,
        SPEC.message.format(old=old, status=_status(moved), advice=_advice(new, moved)),
        fix_title=SPEC.fix_title.format(new=new) if moved.replacement else "Rewrite without it",
        edits=edits or (),
        applicability=Applicability.SAFE,
    )


RULE = Rule(SPEC, check)
