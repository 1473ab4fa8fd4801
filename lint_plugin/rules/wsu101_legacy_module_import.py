"""WSU101 legacy-module-import."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace

from lint_plugin import names
from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._edits import binding_for_alias, module_alias_fix, rewrite_from_import
from lint_plugin.rules._refs import NameRef, name_references
from lint_plugin.rules._rewrites_exceptions import string_chains
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU101",
    name="legacy-module-import",
    summary="Import of the deprecated legacy implementation (`websockets.legacy`)",
    message="`{old}` is the deprecated legacy implementation; use `{new}`",
    fix_title="Import from `{new}`",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0",
    fix_from=(13, 0),
    example_flagged_at=(1, 0),
    what_it_does=(
        "Checks for imports of, and attribute chains into, `websockets.legacy` "
        "(`client`, `server`, `protocol`, `auth`, `exceptions`, `framing`, `handshake`, `http`), "
        "star imports (`from websockets.legacy.server import *`) and chains written in "
        'string annotations (`"websockets.legacy.server.WebSocketServerProtocol"`) included. '
        "A name such an import binds (`connect`, or `ws_client` in "
        "`import websockets.legacy.client as ws_client`) is reported at the import, not again "
        "at each use."
    ),
    why_bad=(
        "The legacy asyncio implementation is deprecated since websockets 14.0 and will be "
        "removed. Importing `websockets.legacy` emits a `DeprecationWarning`. The new "
        "implementation lives in `websockets.asyncio.client` and `websockets.asyncio.server`."
    ),
    example=(
        "from websockets.legacy.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765") as websocket:\n'
        '        await websocket.send("Hello")\n'
    ),
    use_instead=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765") as websocket:\n'
        '        await websocket.send("Hello")\n'
    ),
    fix_safety=(
        "The fix rewrites a `from websockets.legacy.X import ...` statement when every name it "
        "still uses has an equivalent in one new module (`connect`, `serve`, `broadcast`, ...; "
        "`WebSocketClientProtocol` becomes `ClientConnection` and its uses are renamed); names "
        "no longer used are dropped, and `broadcast(conns, message, True)` becomes "
        "`raise_exceptions=True`, which the new `broadcast` requires. It is unsafe: the code "
        "then runs on the new implementation, whose arguments, attributes and callbacks differ "
        "(other WSU rules flag those), and whose behaviour differs where no rule can see it: a "
        "server with `subprotocols=` and no `select_subprotocol` rejects clients that offer "
        "none (opt-in WSU502), and an exception raised in `async with connect(...)` closes "
        "with 1011 instead of 1000 (the migration suite's `subprotocol_defaults` and "
        "`client_body_raises` programs). `import websockets.legacy.client as ws_client` "
        "becomes `import websockets.asyncio.client as ws_client` when every name read "
        "through `ws_client` has an equivalent in that one module (renamed where it differs). "
        "Other `import websockets.legacy...`, names without an "
        "equivalent, attribute chains and star imports get a hint only (no fix is applied "
        "in a module with a star import of websockets: the names it binds depend on the "
        "version)."
    ),
)


#: A protocol factory is not a process_request callable: WSU411 / WSU304 handle those.
AUTH_FACTORIES = frozenset({"asyncio.server.basic_auth"})


def _replacement(path: str) -> str | None:
    """Replacement of a legacy path (``legacy.client.connect``), relative to the root;
    ``None`` for a name with no known equivalent (never its module's replacement: a
    module is no drop-in replacement for a name)."""
    if path in names.LEGACY_REPLACEMENTS:
        return names.LEGACY_REPLACEMENTS[path]
    module, _, name = path.rpartition(".")
    if module in names.LEGACY_MODULES_REEXPORTING:
        return names.CORE_REEXPORTS.get(name)
    return None


def _is_legacy(path: str) -> bool:
    return path == "legacy" or path.startswith("legacy.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    seen_statements: set[int] = set()
    for ref in name_references(ctx):
        path = ref.path
        if ref.kind == "import" and _is_legacy(path):
            old = ref.qualname.render(path)
            yield _aliased_module(ctx, ref, old, path) or _diagnostic(
                ctx, ref.node, old, path, ref.qualname.root
            )
        elif ref.kind == "from-import" and ref.statement is not None:
            statement = ref.statement
            assert isinstance(statement, ast.ImportFrom) and statement.module
            module = ctx.model.canonical(statement.module)
            module_path = module.canonical.partition(".")[2] if module else ""
            if id(statement) in seen_statements:
                continue
            if _is_legacy(module_path) or _is_legacy(path):
                seen_statements.add(id(statement))
                yield _from_import(ctx, statement, module_path, ref.qualname.root)
        elif ref.kind == "chain" and path == "legacy":
            parent = ctx.model.parent(ref.node)
            target = parent if isinstance(parent, ast.Attribute) else ref.node
            target_path = f"legacy.{parent.attr}" if isinstance(parent, ast.Attribute) else "legacy"
            yield _diagnostic(
                ctx, target, ref.qualname.render(target_path), target_path, ref.qualname.root
            )
    yield from _star_imports(ctx)
    yield from _string_chains(ctx)


def _string_chains(ctx: Context) -> Iterator[Diagnostic]:
    """``"websockets.legacy.server.WebSocketServerProtocol"`` in a string annotation: a
    hint at the whole chain, as for one written in code (type checkers resolve it)."""
    legacy = [chain for chain in string_chains(ctx) if _is_legacy(chain.path)]
    for chain in legacy:
        if any(
            other.literal is chain.literal and other.text.startswith(f"{chain.text}.")
            for other in legacy
        ):
            continue  # a part of a longer chain, reported whole
        diagnostic = _diagnostic(
            ctx, chain.literal, chain.qualname.display, chain.path, chain.qualname.root
        )
        if chain.span is not None:
            diagnostic = replace(diagnostic, start=chain.span[0], end=chain.span[1])
        yield diagnostic


def _star_imports(ctx: Context) -> Iterator[Diagnostic]:
    """``from websockets.legacy.server import *``: the statement is reported, with the
    module to import the names used from instead."""
    for star in ctx.model.star_imports:
        if _is_legacy(star.path):
            old = f"{star.root}.{star.path}"
            yield _diagnostic(ctx, star.statement, old, star.path, star.root)


def _diagnostic(ctx: Context, node: ast.AST, old: str, path: str, root: str) -> Diagnostic:
    new = _replacement(path)
    new_text = f"{root}.{new}" if new else "the new asyncio implementation"
    return ctx.diagnostic(
        SPEC,
        node,
        SPEC.message.format(old=old, new=new_text),
        fix_title=SPEC.fix_title.format(new=new_text),
        applicability=Applicability.DISPLAY_ONLY,
    )


def _aliased_module(ctx: Context, ref: NameRef, old: str, path: str) -> Diagnostic | None:
    """``import websockets.legacy.client as ws_client``: fixed by importing the new module
    under that name when every name read from it has a replacement there."""
    alias = ref.alias
    binding = binding_for_alias(ctx, alias) if alias is not None else None
    new_module = _replacement(path)
    if alias is None or alias.asname is None or binding is None or new_module is None:
        return None
    root = ref.qualname.root
    edits = module_alias_fix(
        ctx, binding, alias, root, new_module, lambda name: _replacement(f"{path}.{name}")
    )
    if isinstance(edits, str):
        diagnostic = _diagnostic(ctx, ref.node, old, path, root)
        return diagnostic.replaced(message=f"{diagnostic.message} (not migrated: {edits})")
    new = f"{root}.{new_module}"
    return ctx.diagnostic(
        SPEC,
        ref.node,
        SPEC.message.format(old=old, new=new),
        fix_title=f"Import `{new}` as `{alias.asname}`",
        edits=edits,
        applicability=Applicability.UNSAFE,
    )


def _from_import(
    ctx: Context, statement: ast.ImportFrom, module_path: str, root: str
) -> Diagnostic:
    """One diagnostic per ``from websockets.legacy... import ...`` statement."""
    targets = {
        alias.name: _replacement(f"{module_path}.{alias.name}".lstrip("."))
        for alias in statement.names
    }
    old = f"{root}.{module_path}"
    edits = None
    if module_path.startswith("legacy."):
        # Not ``from websockets.legacy import client``: a module is no drop-in replacement.
        edits = rewrite_from_import(ctx, statement, targets, root, refuse=AUTH_FACTORIES)
    if edits is not None:
        new_module = _replacement(module_path)
        new_text = f"{root}.{new_module}" if new_module else "the new implementation"
        return ctx.diagnostic(
            SPEC,
            statement,
            SPEC.message.format(old=old, new=new_text),
            fix_title=SPEC.fix_title.format(new=new_text),
            edits=edits,
            applicability=Applicability.UNSAFE,
        )
    mapping = ", ".join(
        f"`{name}` with `{root}.{new}`" if new else f"`{name}` (no equivalent)"
        for name, new in targets.items()
    )
    return ctx.diagnostic(
        SPEC,
        statement,
        f"`{old}` is the deprecated legacy implementation; replace {mapping}",
        fix_title=f"Replace {mapping}",
        applicability=Applicability.DISPLAY_ONLY,
    )


RULE = Rule(SPEC, check)
