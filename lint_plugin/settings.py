"""Settings shared by every front end (flake8, CLI, LSP)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lint_plugin.semantic.project import ProjectIndex

Version = tuple[int, ...]

#: The newest websockets release the rules know about; the default target. A newer target
#: is an error: what it deprecated or moved is unknown, so the findings would be wrong.
NEWEST_VERSION: Version = (17, 4)
DEFAULT_MODULES: tuple[str, ...] = ("websockets", "websockets_impl")

_VERSION_RE = re.compile(r"^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$")


class SettingsError(ValueError):
    """A bad option or configuration value; the message names the option."""


def parse_version(text: str, *, option: str = "target-version") -> Version:
    """Parse ``"13"``, ``"14.2"`` or ``"8.1.0"`` into a tuple of ints."""
    match = _VERSION_RE.match(str(text))
    if match is None:
        raise SettingsError(
            f"{option}: expected a websockets version such as 13, 14.2 or 8.1, got {text!r}"
        )
    parts = [int(p) for p in match.groups() if p is not None]
    while len(parts) < 2:
        parts.append(0)
    version = tuple(parts)
    if not is_known(version):
        raise SettingsError(
            f"{option}: unknown websockets version {format_version(version)}: the known "
            f"releases go up to {format_version(NEWEST_VERSION)}"
        )
    return version


def is_known(version: Version) -> bool:
    """Patch releases of the newest known version are known; later releases are not."""
    return version[:2] <= NEWEST_VERSION[:2]


def format_version(version: Version) -> str:
    return ".".join(str(p) for p in version)


@dataclass(frozen=True)
class Settings:
    target_version: Version = NEWEST_VERSION
    target_version_source: str = "default (newest websockets release)"
    """Why this target version: the option, a file and line, or the default."""
    modules: tuple[str, ...] = DEFAULT_MODULES
    """Top-level names that mean the websockets package (upstream and this project's own)."""
    select: tuple[str, ...] = ("WSU1", "WSU2", "WSU3", "WSU4")
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    project: ProjectIndex | None = field(default=None, compare=False, hash=False)
    """What the other modules of the project do with this one, and what they define
    (``wsu check`` sets it for the files that need it; flake8 never does)."""
    module_name: str | None = field(default=None, compare=False, hash=False)
    """This module's qualified name in ``project``."""
    legacy_patches: tuple[str, ...] = ()
    """Legacy implementation objects some module of the project patches, each said with
    where (``wsu check`` finds them; ``units.py`` holds every switch back for them)."""
    legacy_classes: frozenset[tuple[str, str]] = frozenset()
    """(module, class) of the project's classes deriving from a legacy protocol class, in
    the files ``wsu check`` checks: their instances are connections where another module
    annotates or casts with them."""
    module_reexports: frozenset[tuple[str, str, str]] = frozenset()
    """(module, name, target module) where a module of the project binds ``name`` to a
    target module (``import websockets`` in an optional-dependency module): ``from
    .dependencies import websockets`` elsewhere is that module (``wsu check`` finds them)."""
    attribute_reads: tuple[tuple[str, str, int, str], ...] = ()
    """(attribute, file, line, member): ``x.attribute.member`` read in another file of the
    run, ``member`` a legacy-only connection member (``cli/attribute_reads.py``): a module
    keeping a connection in an attribute so named holds its switches back."""

    def is_enabled(self, code: str) -> bool:
        """ruff's selection: the most specific matching prefix wins; ignore wins ties."""
        best_select = max(
            (len(p) for p in (*self.select, *self.extend_select) if _matches(code, p)),
            default=-1,
        )
        best_ignore = max((len(p) for p in self.ignore if _matches(code, p)), default=-1)
        return best_select >= 0 and best_select > best_ignore

    def explicitly_selects(self, code: str) -> bool:
        """Opt-in rules need a selector more specific than the bare ``WSU`` (or ``ALL``)."""
        return any(
            p == "ALL" or (code.startswith(p) and len(p) > 3)
            for p in (*self.select, *self.extend_select)
        )


def _matches(code: str, prefix: str) -> bool:
    return prefix == "ALL" or code.startswith(prefix)
