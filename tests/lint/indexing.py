"""The project index of a few files, built directly (``wsu check`` builds it from the
files its run checks: ``lint_plugin/cli/project_index.py``)."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

from lint_plugin.semantic.project import ModuleFacts, ProjectIndex, module_facts, module_name
from lint_plugin.settings import Settings


def build_index(paths: Iterable[Path], settings: Settings) -> ProjectIndex:
    """Index the given files (each must parse)."""
    modules: dict[str, ModuleFacts] = {}
    for path in paths:
        source = path.read_text("utf-8")
        module = module_name(path)
        modules[module] = module_facts(ast.parse(source), source, settings, module)
    return ProjectIndex(modules)
