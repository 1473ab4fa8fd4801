"""The semantic model of one module, built once and shared by every rule.

It answers three questions the rules ask:

- what websockets object does this expression name (through every import form
  and alias, for each configured target module)?
- which expressions are websockets connections, and which functions are
  connection handlers, ``process_request`` or ``select_subprotocol`` callables
  (followed from the ``serve()`` / ``connect()`` call site to their ``def``)?
- which regions are compatibility code (import fallbacks, ``TypeError``
  fallbacks, version guards) that must not be flagged?

Scope tracking does most of the work; astroid is asked only for what it cannot
resolve (attributes of instances, names bound in ways the scope pass does not
follow), lazily, once per file. ``model.py`` lists the layers, one module each.
"""

from lint_plugin.semantic.bindings import QualifiedName
from lint_plugin.semantic.callables import CallableTarget
from lint_plugin.semantic.callbacks import Callback, Role
from lint_plugin.semantic.calls import CallSite, Family, KeywordArg
from lint_plugin.semantic.model import SemanticModel
from lint_plugin.semantic.syntax import FunctionNode

__all__ = [
    "CallSite",
    "CallableTarget",
    "Callback",
    "Family",
    "FunctionNode",
    "KeywordArg",
    "QualifiedName",
    "Role",
    "SemanticModel",
]
