"""Where the code names a websockets object: imports and attribute chains."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Literal, cast

from lint_plugin.context import Context
from lint_plugin.semantic import QualifiedName


@dataclass(frozen=True)
class NameRef:
    node: ast.AST
    """What to report: the alias of an import, or the attribute chain."""
    qualname: QualifiedName
    kind: Literal["import", "from-import", "chain"]
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
    for node in ast.walk(ctx.tree):
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
    ctx.cache["name_references"] = refs
    return refs
