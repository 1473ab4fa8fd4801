"""Lazy module attributes (PEP 562): plain aliases, deprecated aliases, removed names."""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["lazy_import", "resolve"]

PACKAGE = __name__.rpartition(".")[0]


def resolve(path: str) -> Any:
    """Import the object at ``path``, a dotted path relative to the package root.

    ``"exceptions.ProtocolError"`` is ``websockets_impl.exceptions.ProtocolError``.
    """
    module_path, _, name = path.rpartition(".")
    module = importlib.import_module(f"{PACKAGE}.{module_path}" if module_path else PACKAGE)
    return getattr(module, name)


def lazy_import(
    namespace: dict[str, Any],
    aliases: Mapping[str, str] | None = None,
    deprecated_aliases: Mapping[str, str] | None = None,
    removed: Iterable[str] = (),
) -> None:
    """Install ``__getattr__`` and ``__dir__`` in a module's ``namespace``.

    ``aliases`` and ``deprecated_aliases`` map a public name to the dotted path of its
    target, relative to the package root, or, as upstream's ``lazy_import`` does, to a
    relative module path (``".asyncio.client"``) resolved against the namespace's
    package like ``from .asyncio.client import name``. Targets are imported on first
    access only, which keeps importing the module cheap and breaks import cycles. Plain
    aliases are cached in the namespace; deprecated ones warn on every access and are
    never cached, so that each use site is reported. Names in ``removed`` raise
    AttributeError with a hint that they are gone.
    """
    module_name: str = namespace["__name__"]
    package = namespace.get("__package__") or module_name.rpartition(".")[0]

    def load(name: str, source: str) -> Any:
        if source.startswith("."):
            return getattr(importlib.import_module(source, package), name)
        return resolve(source)

    plain = dict(aliases or {})
    deprecated = dict(deprecated_aliases or {})
    gone = frozenset(removed)

    def __getattr__(name: str) -> Any:
        if name in plain:
            value = load(name, plain[name])
            namespace[name] = value
            return value
        if name in deprecated:
            warnings.warn(f"{module_name}.{name} is deprecated", DeprecationWarning, stacklevel=2)
            return load(name, deprecated[name])
        if name in gone:
            raise AttributeError(f"{module_name}.{name} was removed")
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted({*namespace, *plain, *deprecated})

    getattr_hook: Callable[[str], Any] = __getattr__
    namespace["__getattr__"] = getattr_hook
    namespace["__dir__"] = __dir__
