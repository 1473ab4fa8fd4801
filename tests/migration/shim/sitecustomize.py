"""Make ``websockets`` mean ``websockets_impl`` in this interpreter.

The migration suite puts this directory on ``PYTHONPATH`` to run a program written for
upstream ``websockets`` on the clean-room implementation. A meta path finder, consulted
before any other, answers every ``websockets`` / ``websockets.X.Y`` import with the module
object of ``websockets_impl`` / ``websockets_impl.X.Y``: one module object per module under
both names, so ``websockets.legacy.server.serve is websockets_impl.legacy.server.serve`` and
nothing is loaded twice. Upstream ``websockets`` is never imported.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from types import ModuleType

ALIAS = "websockets"
TARGET = "websockets_impl"


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        # Importing the target runs its own import-time code (and warnings) once.
        return importlib.import_module(self.target)

    def exec_module(self, module: ModuleType) -> None:
        pass  # already executed under its real name


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):  # type: ignore[no-untyped-def]
        if fullname != ALIAS and not fullname.startswith(ALIAS + "."):
            return None
        real = TARGET + fullname[len(ALIAS) :]
        if importlib.util.find_spec(real) is None:
            return None  # ModuleNotFoundError, as for a missing upstream module
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(real))


sys.meta_path.insert(0, _AliasFinder())
