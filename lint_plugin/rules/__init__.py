"""The rule registry: one module per rule (``wsuNNN_name.py``), each holding its spec
beside its check and exporting it as ``RULE``. Adding a module adds the rule."""

from __future__ import annotations

import importlib
import pkgutil

from lint_plugin.spec import Rule, RuleSpec

ALL_RULES: tuple[Rule, ...] = tuple(
    importlib.import_module(f"{__name__}.{module.name}").RULE
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)
    if module.name.startswith("wsu")
)
RULES_BY_CODE: dict[str, Rule] = {rule.spec.code: rule for rule in ALL_RULES}

__all__ = ["ALL_RULES", "RULES_BY_CODE", "Rule", "RuleSpec"]
