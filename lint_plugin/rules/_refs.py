"""Where the code names a websockets object: imports and attribute chains."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, cast

from lint_plugin import names
from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic
from lint_plugin.rules._edits import (
    binding_for_alias,
    module_alias,
    module_alias_fix,
    reference_fix,
    references,
)
from lint_plugin.semantic import QualifiedName
from lint_plugin.spec import RuleSpec


@dataclass(frozen=True)
class NameRef:
    node: ast.AST
    """What to report: the alias of an import, or the attribute chain."""
    qualname: QualifiedName
    kind: Literal["import", "from-import", "chain", "star"]
    """``star``: a bare name only a star import binds (``connect`` after
    ``from websockets import *``): no edit can point it elsewhere."""
    alias: ast.alias | None = None
    statement: ast.Import | ast.ImportFrom | None = None

    @property
    def path(self) -> str:
        """Canonical path without the root: ``client.connect``."""
        return self.qualname.canonical.partition(".")[2]


def name_references(ctx: Context) -> list[NameRef]:
    cached = ctx.cache.get("name_references")
    if cached is not None:
        return cast(list[NameRef], cached)
    refs: list[NameRef] = []
    for node in ctx.model.nodes_of(ast.Import, ast.ImportFrom, ast.Attribute):
        if isinstance(node, ast.Import):
            for alias in node.names:
                qualname = ctx.model.canonical(alias.name)
                if qualname is not None:
                    refs.append(NameRef(alias, qualname, "import", alias, node))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                qualname = ctx.model.canonical(f"{node.module}.{alias.name}")
                if qualname is not None and alias.name != "*":
                    refs.append(NameRef(alias, qualname, "from-import", alias, node))
        elif isinstance(node, ast.Attribute):
            qualname = ctx.model.qualified_name(node)
            if qualname is not None:
                refs.append(NameRef(node, qualname, "chain"))
    if ctx.model.star_imports:
        for node in ctx.model.nodes_of(ast.Name):
            assert isinstance(node, ast.Name)
            binding = ctx.model.binding_of(node) if isinstance(node.ctx, ast.Load) else None
            if binding is not None and binding.kind == "star":
                qualname = ctx.model.qualified_name(node)
                if qualname is not None:
                    refs.append(NameRef(node, qualname, "star"))
    ctx.cache["name_references"] = refs
    return refs


def replaced_reference(
    ctx: Context,
    spec: RuleSpec,
    ref: NameRef,
    new_path: str,
    applicability: Applicability,
    replacement_of: Callable[[str], str | None] | None = None,
) -> Diagnostic:
    """The diagnostic for a name with a drop-in replacement, fixed by pointing it there.
    ``replacement_of`` gives the replacement of another name of the reference's module
    (``connect`` -> ``asyncio.client.connect``): read through a module imported under a
    name of its own (``import websockets.client as ws``), the fix imports the new module
    under that name, which every name read from it must then have."""
    old = ref.qualname.render(ref.path)
    new = ref.qualname.render(new_path)
    message = spec.message.format(old=old, new=new)
    title = spec.fix_title.format(new=new)
    root = ref.qualname.root
    edits = reference_fix(ctx, ref.node, ref.kind, ref.alias, root, new_path)
    aliased = module_alias(ctx, ref.node) if ref.kind == "chain" else None
    reason = None
    if edits is None and aliased is not None and replacement_of is not None:
        binding, alias = aliased
        new_module = new_path.rpartition(".")[0]
        fixed = module_alias_fix(ctx, binding, alias, root, new_module, replacement_of)
        if isinstance(fixed, str):
            reason = f"`{binding.name}` is `{alias.name}` here and {fixed}"
        else:
            edits = fixed
            title = f"Import `{root}.{new_module}` as `{binding.name}`"
    reason = reason or _tested_elsewhere(ctx, ref)
    if reason is not None:
        edits, message = [], f"{message} (not migrated: {reason})"
    return ctx.diagnostic(
        spec,
        ref.node,
        message,
        fix_title=title,
        edits=edits or (),
        applicability=applicability,
    )


def _tested_elsewhere(ctx: Context, ref: NameRef) -> str | None:
    """Why renaming a legacy connection class would change what an ``isinstance`` test
    answers: the objects it tests are not known to come from a ``connect()`` / ``serve()``
    of this module (moving with the rename), so they may still be legacy ones made
    elsewhere, and the renamed test would be false for them (a connection left open)."""
    if ref.qualname.canonical not in names.LEGACY_PROTOCOL_CLASSES:
        return None
    for node in renamed_nodes(ctx, ref):
        test = _instance_test(ctx, node)
        if test is not None and not ctx.model.is_connection(test.args[0]):
            return (
                f"`isinstance()` at line {test.lineno} tests `{ctx.text(test.args[0])}`, not"
                " known to come from a `connect()` or `serve()` of this module: a legacy"
                " connection made elsewhere would fail the renamed test"
            )
    return None


def renamed_nodes(ctx: Context, ref: NameRef) -> list[ast.AST]:
    """What a reference's fix renames: the name itself, or an imported name's every use (so
    an import's finding depends on its uses: a module checked in segments puts them in one)."""
    if ref.kind != "from-import" or ref.alias is None:
        return [ref.node]
    binding = binding_for_alias(ctx, ref.alias)
    return [ref.node] if binding is None else [ref.node, *references(ctx, binding)]


def _instance_test(ctx: Context, node: ast.AST) -> ast.Call | None:
    """The ``isinstance(x, ...)`` call whose class argument is (or holds) ``node``."""
    parent = ctx.model.parent(node)
    if isinstance(parent, ast.Tuple):
        node, parent = parent, ctx.model.parent(parent)
    if (
        isinstance(parent, ast.Call)
        and isinstance(parent.func, ast.Name)
        and parent.func.id == "isinstance"
        and len(parent.args) == 2
        and parent.args[1] is node
    ):
        return parent
    return None
