"""``SemanticModel``: the one object the rules read, built once per module.

Each layer answers one question and builds on the ones before it:

- ``bindings``: what binding a name refers to, and what websockets object it names;
- ``calls``: the ``connect()`` / ``serve()`` calls and the arguments that reach them;
- ``callables``: the ``def`` a callable expression refers to;
- ``callbacks``: handlers, ``process_request`` / ``select_subprotocol`` callables and
  legacy subclasses;
- ``connections``: which expressions are connections;
- ``compat``: which regions are compatibility code the rules leave alone;
- ``project``: the index of the other modules of the project.
"""

from __future__ import annotations

import ast

from lint_plugin.semantic.compat import CompatRegions
from lint_plugin.semantic.connections import Connections
from lint_plugin.semantic.project import ProjectIndex
from lint_plugin.settings import Settings


class SemanticModel(Connections, CompatRegions):
    def __init__(
        self,
        tree: ast.Module,
        source: str,
        settings: Settings,
        *,
        project: ProjectIndex | None = None,
        module_name: str | None = None,
    ) -> None:
        """``project`` and ``module_name`` let the model see what the rest of the project
        does with this module's definitions (see ``project.py``)."""
        self.project = project
        self.module_name = module_name
        super().__init__(tree, source, settings)
