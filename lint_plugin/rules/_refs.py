"""Where the code names a websockets object: imports and attribute chains."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Literal, cast

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic
from lint_plugin.rules._edits import reference_fix
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
    ctx: Context, spec: RuleSpec, ref: NameRef, new_path: str, applicability: Applicability
) -> Diagnostic:
    """The diagnostic for a name with a drop-in replacement, fixed by pointing it there."""
    old = ref.qualname.render(ref.path)
    new = ref.qualname.render(new_path)
    edits = reference_fix(ctx, ref.node, ref.kind, ref.alias, ref.qualname.root, new_path)
    return ctx.diagnostic(
        spec,
        ref.node,
        spec.message.format(old=old, new=new),
        fix_title=spec.fix_title.format(new=new),
        edits=edits or (),
        applicability=applicability,
    )
