"""The project index ``wsu check`` builds: only what the ``serve()`` callbacks need.

A ``serve()`` whose handler is imported from another module of the project cannot check
that handler's signature by itself. The files that mention a target module and call
``serve`` are read for the names they pass to it as callbacks (``semantic/project.py``),
from the model their check builds (``cli/workers.py``): a file passing none is done with
that check. Only the modules those names come from are then read, for their top-level
definitions, and the files taking part checked with the index. Every other file is left
to the prefilter, as before.

The ``serve()`` module learns the handler's positional parameters (a handler taking the
connection only holds nothing back, see ``units.py``); the handler's module reports WSU301
for it, without a fix (the ``serve()`` lives elsewhere and may be held back).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lint_plugin import names
from lint_plugin.segments import THRESHOLD
from lint_plugin.semantic.bindings import Bindings
from lint_plugin.semantic.project import (
    ModuleFacts,
    ProjectIndex,
    legacy_patches,
    module_facts,
    module_name,
)
from lint_plugin.settings import Settings

_SERVE = re.compile(r"\bserve\b")
#: An assignment's dotted target (one pass per line: no nested repetition to backtrack).
_ASSIGNED = re.compile(r"^[ \t]*([\w.]+)[ \t]*(?::[^=\n]*)?=(?!=)", re.MULTILINE)
_PATCHED_NAME = re.compile(r"legacy|Connect|Serve|Protocol|connect|serve")


def may_patch(text: str) -> bool:
    """Whether the file is worth parsing for patches of legacy objects: a ``setattr``, a
    mock (``patch``), or an attribute set on something whose name says legacy, connect,
    serve or protocol."""
    if "setattr(" in text or "patch" in text:
        return True
    for match in _ASSIGNED.finditer(text):
        target = match.group(1)
        # ``self.connection = ...`` sets an instance's attribute: no module object is patched.
        if (
            "." in target
            and not target.startswith(("self.", "cls."))
            and _PATCHED_NAME.search(target)
        ):
            return True
    return False


def calls_serve(text: str) -> bool:
    """Might the file pass callbacks to ``serve()`` (the prefilter of the index)?"""
    return _SERVE.search(text) is not None


_RELATIVE = re.compile(r"^[ \t]*from[ \t]+\.", re.MULTILINE)


def may_take_part(text: str, module: str) -> bool:
    """Might the file give the index facts: pass callbacks to ``serve()``, or connections
    to what another module of its package defines (a relative import, or one of its own
    top-level package)?"""
    if calls_serve(text) or _RELATIVE.search(text) is not None:
        return True
    top = module.partition(".")[0]
    return (
        bool(top)
        and re.search(rf"^[ \t]*(from|import)[ \t]+{re.escape(top)}\b", text, re.M) is not None
    )


def facts_from_text(text: str, settings: Settings, module: str) -> ModuleFacts | None:
    """The facts of a file not checked in this run (its result cached, or fixed): parsed
    for them. ``None`` when it does not parse."""
    tree = _parse(text)
    return None if tree is None else module_facts(tree, text, settings, module)


@dataclass(frozen=True)
class ProjectFacts:
    """What the project's files hold that other files' findings and fixes depend on."""

    patches: tuple[str, ...] = ()
    """Where they patch a legacy implementation object, said as a reason to hold fixes."""
    classes: frozenset[tuple[str, str]] = frozenset()
    """(module, class) of top-level classes deriving from a legacy protocol class."""
    reexports: frozenset[tuple[str, str, str]] = frozenset()
    """(module, name, target module): a target module imported by a module and imported
    from it by another (``from .dependencies import websockets``)."""


@dataclass(frozen=True)
class FileFacts:
    """What one file gives ``ProjectFacts`` (``file_facts``); ``project_facts`` joins them."""

    patches: tuple[str, ...]
    classes: tuple[tuple[str, str], ...]
    imports: tuple[tuple[str, str, str], ...]
    """(module, name, target module) for each target module the file imports whole."""
    imported_from: frozenset[str]
    """The words of its ``from M import ...`` lines."""


def file_facts(
    display: str, text: str, path: Path, settings: Settings
) -> tuple[FileFacts, ast.Module | None]:
    """One file's part of the project's facts (it mentions a target module), parsed only
    when a pattern says it may patch or subclass; a module checked in segments is not
    parsed whole for them (its own units hold its patch). The tree parsed, if any, comes
    with its model's structure (``Bindings.hand_over``): the file's check takes it over."""
    module = module_name(path)
    imports = tuple((module, *bound) for bound in _module_imports(text, settings))
    imported_from = frozenset(
        word for line in _FROM_IMPORTED.findall(text) for word in _WORD.findall(line)
    )
    patches: list[str] = []
    classes: list[tuple[str, str]] = []
    tree = None
    patching = len(text) <= THRESHOLD and may_patch(text)
    subclassing = len(text) <= THRESHOLD and _subclasses(text)
    if (patching or subclassing) and (parsed := _parse(text)) is not None:
        model = Bindings(parsed, text, settings)
        if patching:
            for patch in legacy_patches(model):
                patches.append(f"`{patch.target}` is patched at {display}:{patch.line}")
        if subclassing:
            classes += [(module, name) for name in _legacy_subclasses(model)]
        tree = model.hand_over()
    return FileFacts(tuple(patches), tuple(classes), imports, imported_from), tree


def parsed_for_facts(text: str) -> bool:
    """Is the file parsed for its facts (``file_facts``)?"""
    return len(text) <= THRESHOLD and (may_patch(text) or _subclasses(text))


def _subclasses(text: str) -> bool:
    return _PROTOCOL_BASE.search(text) is not None


def project_facts(files: Iterable[FileFacts]) -> ProjectFacts:
    """The project's facts from its files' (in the order of the files)."""
    patches: list[str] = []
    classes: set[tuple[str, str]] = set()
    imports: list[tuple[str, str, str]] = []
    imported_from: set[str] = set()
    for facts in files:
        patches += facts.patches
        classes.update(facts.classes)
        imports += facts.imports
        imported_from |= facts.imported_from
    # Only the names another module imports: every other file's cache key stays the same.
    reexports = frozenset(entry for entry in imports if entry[1] in imported_from)
    return ProjectFacts(tuple(patches), frozenset(classes), reexports)


#: ``import websockets`` (or ``import websockets as ws``) on a line of its own.
_MODULE_IMPORT = re.compile(
    r"^[ \t]*import[ \t]+(\w+)(?:[ \t]+as[ \t]+(\w+))?[ \t]*(?:#[^\n]*)?$", re.MULTILINE
)
#: What a ``from M import ...`` line imports (its first line's words: a filter only).
_FROM_IMPORTED = re.compile(r"^[ \t]*from[ \t]+\.*[\w.]*[ \t]+import[ \t]+([^\n]*)", re.MULTILINE)
_WORD = re.compile(r"\w+")


def _module_imports(text: str, settings: Settings) -> list[tuple[str, str]]:
    """(name, target module) for each target module the text imports whole, by the name
    it binds. An import inside a function counts too: another module can import that name
    from this one only if the module binds it."""
    return [
        (found.group(2) or found.group(1), found.group(1))
        for found in _MODULE_IMPORT.finditer(text)
        if found.group(1) in settings.modules
    ]


#: A top-level class with a written base naming a protocol (the legacy protocol classes
#: all end so): worth parsing for its legacy subclasses.
_PROTOCOL_BASE = re.compile(r"^class[ \t]+\w+[ \t]*\([^)\n]*Protocol\b", re.MULTILINE)


def _legacy_subclasses(model: Bindings) -> list[str]:
    local: list[str] = []
    for stmt in model.tree.body:
        if isinstance(stmt, ast.ClassDef) and any(
            (isinstance(base, ast.Name) and base.id in local)
            or (
                (qualname := model.qualified_name(base)) is not None
                and qualname.canonical in names.LEGACY_PROTOCOL_CLASSES
            )
            for base in stmt.bases
        ):
            local.append(stmt.name)
    return local


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _candidates(origin: Path, origin_module: str, wanted: str) -> list[Path]:
    """Where ``wanted`` lives, seen from the file ``origin`` of module ``origin_module``:
    from the directory its top-level package is in."""
    root = origin.resolve().parent
    for _ in range(origin_module.count(".") + (origin.stem == "__init__")):
        root = root.parent
    base = root.joinpath(*wanted.split("."))
    return [base.with_suffix(".py"), base / "__init__.py"]


def build(
    sources: Iterable[tuple[Path, str, Settings]],
) -> tuple[ProjectIndex, dict[Path, str]]:
    """``assemble`` from the texts of files that mention a target module, parsed here."""
    serving = []
    for path, text, settings in sources:
        if not may_take_part(text, module_name(path)):
            continue
        name = module_name(path)
        facts = facts_from_text(text, settings, name)
        if facts is not None and facts.takes_part:
            serving.append((path, name, settings, facts))
    return assemble(serving)


def assemble(
    serving: Iterable[tuple[Path, str, Settings, ModuleFacts]],
) -> tuple[ProjectIndex, dict[Path, str]]:
    """The index of the ``serve()`` modules (path, module name, settings, facts of a file
    passing callbacks imported from other modules) and of the modules their callbacks
    come from; and the module name of every file that takes part (serve modules with
    imported callbacks, and callback modules).

    A module given a connection may pass it on to a third (``endpoint.handle(ws)`` calls
    ``Session(ws)``): its facts are read with what the index knows so far, so that the
    connections it is given are known there, and the modules it passes them to are read
    in turn (up to ``HOPS`` modules away)."""
    modules: dict[str, ModuleFacts] = {}
    taking_part: dict[Path, str] = {}
    wanted: dict[str, list[Path]] = {}
    settings_of: dict[str, Settings] = {}

    def want(path: Path, name: str, settings: Settings, facts: ModuleFacts) -> None:
        for other in sorted({*(u.module for u in facts.uses), *(p.module for p in facts.passes)}):
            if other != name and other not in modules and other not in wanted:
                wanted[other] = _candidates(path, name, other)
                settings_of.setdefault(other, settings)

    serving = list(serving)
    for path, name, _, facts in serving:
        modules[name] = facts
        taking_part[path.resolve()] = name
    for path, name, settings, facts in serving:
        want(path, name, settings, facts)
    for _ in range(HOPS):
        if not wanted:
            break
        reading, wanted = wanted, {}
        for wanted_module, candidates in reading.items():
            for candidate in candidates:
                if not candidate.is_file() or module_name(candidate) != wanted_module:
                    continue
                try:
                    text = candidate.read_text("utf-8")
                except (OSError, UnicodeDecodeError):
                    break
                tree = _parse(text)
                if tree is not None:
                    settings = settings_of[wanted_module]
                    known = ProjectIndex(dict(modules))
                    facts = module_facts(tree, text, settings, wanted_module, known)
                    modules[wanted_module] = facts
                    taking_part[candidate.resolve()] = wanted_module
                    want(candidate, wanted_module, settings, facts)
                break
    return ProjectIndex(modules), taking_part


#: How many modules away from a ``serve()`` or ``connect()`` module a connection is followed.
HOPS = 4
