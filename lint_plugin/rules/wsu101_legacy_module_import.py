"""WSU101 legacy-module-import."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin import names
from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, Edit, FixAvailability
from lint_plugin.rules._edits import alias_text, rename_in_place
from lint_plugin.rules._refs import name_references
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
    min_version=(13, 0),
    example_flagged_at=(1, 0),
    what_it_does=(
        "Checks for imports of, and attribute chains into, `websockets.legacy` "
        "(`client`, `server`, `protocol`, `auth`, `exceptions`, `framing`, `handshake`, `http`)."
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
        "The fix rewrites a `from websockets.legacy.X import ...` statement when every imported "
        "name has an equivalent in one new module (`connect`, `serve`, `broadcast`, ...; "
        "`WebSocketClientProtocol` becomes `ClientConnection` and its uses are renamed). It is "
        "unsafe: the code then runs on the new implementation, whose arguments, attributes and "
        "callbacks differ (other WSU rules flag those). `import websockets.legacy...`, names "
        "without an equivalent and attribute chains get a hint only."
    ),
)


def _replacement(path: str) -> str | None:
    """Replacement of a legacy path (``legacy.client.connect``), relative to the root."""
    if path in names.LEGACY_REPLACEMENTS:
        return names.LEGACY_REPLACEMENTS[path]
    module, _, _ = path.rpartition(".")
    return names.LEGACY_REPLACEMENTS.get(module)


def _is_legacy(path: str) -> bool:
    return path == "legacy" or path.startswith("legacy.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    seen_statements: set[int] = set()
    for ref in name_references(ctx):
        path = ref.path
        if ref.kind == "import" and _is_legacy(path):
            yield _diagnostic(ctx, ref.node, ref.qualname.render(path), path, ref.qualname.root)
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


def _from_import(
    ctx: Context, statement: ast.ImportFrom, module_path: str, root: str
) -> Diagnostic:
    """One diagnostic per ``from websockets.legacy... import ...`` statement."""
    if module_path == "legacy" or not module_path.startswith("legacy."):
        # from websockets.legacy import client / from websockets import legacy
        targets = {
            alias.name: _replacement(f"{module_path}.{alias.name}".lstrip("."))
            for alias in statement.names
        }
        new_module = None
    else:
        targets = {
            alias.name: _replacement(f"{module_path}.{alias.name}") for alias in statement.names
        }
        new_module = _common_module(targets)
    old = f"{root}.{module_path}"
    mapping = ", ".join(
        f"`{name}` with `{root}.{new}`" if new else f"`{name}` (no equivalent)"
        for name, new in targets.items()
    )
    edits = _rewrite(ctx, statement, targets, root) if new_module is not None else None
    if new_module is not None and edits is not None:
        new_text = f"{root}.{new_module}"
        return ctx.diagnostic(
            SPEC,
            statement,
            SPEC.message.format(old=old, new=new_text),
            fix_title=SPEC.fix_title.format(new=new_text),
            edits=edits,
            applicability=Applicability.UNSAFE,
        )
    return ctx.diagnostic(
        SPEC,
        statement,
        f"`{old}` is the deprecated legacy implementation; replace {mapping}",
        fix_title=f"Replace {mapping}",
        applicability=Applicability.DISPLAY_ONLY,
    )


def _common_module(targets: dict[str, str | None]) -> str | None:
    """The one new module holding a replacement for every name, if any."""
    modules = set()
    for new in targets.values():
        if new is None:
            return None
        module, _, _ = new.rpartition(".")
        if not module:
            return None
        modules.add(module)
    return modules.pop() if len(modules) == 1 else None


def _rewrite(
    ctx: Context, statement: ast.ImportFrom, targets: dict[str, str | None], root: str
) -> list[Edit] | None:
    """Import every name from its new module; rename the uses of renamed names."""
    edits: list[Edit] = []
    parts = []
    module = ""
    for alias in statement.names:
        new = targets[alias.name]
        assert new is not None
        if new.endswith(".basic_auth"):
            return None  # a protocol factory is not a process_request: WSU411 / WSU304
        module, _, new_name = new.rpartition(".")
        parts.append(alias_text(alias, new_name))
        if new_name != alias.name and alias.asname is None:
            renamed = rename_in_place(ctx, alias, new_name)
            if renamed is None:
                return None
            edits.extend(renamed[1:])  # the references; the statement is rewritten whole
    if len(set(parts)) != len(parts):
        return None  # two legacy names map to one new name (e.g. Serve and serve)
    edits.append(ctx.replace(statement, f"from {root}.{module} import {', '.join(parts)}"))
    return edits


RULE = Rule(SPEC, check)
