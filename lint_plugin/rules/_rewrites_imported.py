"""Callbacks of a legacy ``serve()`` imported from another module of the project.

The linter sees one module at a time: a ``process_request`` or ``select_subprotocol``
imported from elsewhere cannot be checked, nor rewritten with the call. Reporting it on
the call (without a fix) keeps the call's migration unit on the legacy implementation
until the callback is migrated by hand.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from lint_plugin.context import Context


@dataclass(frozen=True)
class ImportedCallback:
    keyword: ast.keyword
    name: str
    module: str


def imported_callbacks(ctx: Context, role: str) -> Iterator[ImportedCallback]:
    """``role=name`` on a legacy ``serve()`` where ``name`` is imported from a module
    that is not websockets (``from .gates import gate``, ``from gates import gate``)."""
    for site in ctx.model.call_sites:
        if site.family != "serve" or not site.legacy:
            continue
        for keyword in site.node.keywords:
            if keyword.arg != role or not isinstance(keyword.value, ast.Name):
                continue
            binding = ctx.model.binding_of(keyword.value)
            statement = ctx.model.parent(binding.node) if binding is not None else None
            if not isinstance(statement, ast.ImportFrom):
                continue
            module = "." * statement.level + (statement.module or "")
            if module.split(".")[0] in ctx.settings.modules:
                continue
            yield ImportedCallback(keyword, keyword.value.id, module)
