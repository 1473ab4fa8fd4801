"""Migration units across modules (``wsu check``): a legacy ``serve()`` and the callbacks
another module of the project defines for it move to the new implementation together.

``units.py`` groups fixes one module at a time. A handler ``echo(websocket, path)``, a
``process_request`` or a ``select_subprotocol`` defined in ``handlers.py`` and passed to a
legacy ``serve()`` in ``app.py`` is right only with that call, and the call only with the
callback rewritten. Before linting, the run decides here which such callbacks migrate with
their calls (``ProjectIndex.migrating``): the linter of ``app.py`` then offers the call's
switch, and that of ``handlers.py`` the callback's own fixes (WSU301 / WSU302 / WSU303, the
WSU2xx in a handler's body).

A callback is a candidate when its module is among the files checked and nothing else than
``serve()`` calls, all with the same role, uses it (any other use would keep calling it the
legacy way). Each candidate is tried: the files involved are fixed with the candidates
marked, then the result is checked across the modules (every ``serve()`` passing the
callback is on the new implementation, a handler takes the connection only, nothing in the
callback needs a hand edit). A candidate failing that is held back with its reason
(``ProjectIndex.held``, shown by the ``serve()`` module) and the others tried again; the
files of a unit are written together.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from lint_plugin.engine import check_source
from lint_plugin.fixes import FixResult, fix_source
from lint_plugin.model import Requirement
from lint_plugin.semantic.project import (
    ProjectIndex,
    RemoteCallback,
    module_facts,
    module_name,
    other_uses,
)
from lint_plugin.settings import Settings
from lint_plugin.units import RULE_REQUIREMENTS

Link = tuple[str, str]
"""A callback: (module defining it, its name)."""

#: The callbacks whose signature changes in the new ``serve()``.
_ROLES = ("handler", "process_request", "select_subprotocol")


@dataclass(frozen=True)
class Member:
    """A checked file: where it is, how to name it, its text and settings."""

    path: Path
    display: str
    text: str
    settings: Settings


@dataclass
class Plan:
    index: ProjectIndex
    """The index every file is linted with: ``migrating`` and ``held`` filled in."""
    taking_part: Mapping[Path, str]
    """The module name of every file the index depends on (resolved path -> name)."""
    fixed: dict[Path, FixResult] = field(default_factory=dict)
    """The fixed files of the units that span modules (resolved path -> result)."""
    tied: dict[Path, frozenset[Path]] = field(default_factory=dict)
    """For each of those files, the files written with it (itself included)."""


def plan(
    index: ProjectIndex,
    taking_part: Mapping[Path, str],
    checked: Iterable[Member],
    *,
    unsafe: bool,
) -> Plan:
    """Which handlers migrate with the ``serve()`` calls of other modules, and the files
    fixed accordingly (``unsafe``: at the applicability of the run). ``checked`` is only
    read when some handler is passed to a legacy ``serve()`` by another module."""
    links = _links(index)
    if not links:
        return Plan(index, taking_part)
    every = {member.path.resolve(): member for member in checked}
    members = {module: every[path] for path, module in taking_part.items() if path in every}
    accepted: set[Link] = set()
    held: dict[Link, str] = {}
    for link, uses in links.items():
        why = _obstacle(link, uses, members, every.values())
        if why is None:
            accepted.add(link)
        else:
            held[link] = why
    while accepted:
        trial = replace(index, migrating=frozenset(accepted), held=dict(held))
        involved = {m for link in accepted for m in (link[0], *_users(index, link))}
        fixed = {
            module: fix_source(
                members[module].text,
                _settings(members[module], trial, module),
                unsafe=unsafe,
                filename=members[module].display,
            )
            for module in sorted(involved)
        }
        failed = _check(accepted, index, members, fixed)
        if not failed:
            return Plan(
                trial,
                taking_part,
                {members[m].path.resolve(): result for m, result in fixed.items()},
                _tied(accepted, index, members),
            )
        held.update(failed)
        accepted -= failed.keys()
    return Plan(replace(index, held=held), taking_part)


def _links(index: ProjectIndex) -> dict[Link, list[RemoteCallback]]:
    """Callbacks of a legacy ``serve()`` of another module that the per-module linter
    holds back (a handler taking more than the connection, a ``process_request`` or
    ``select_subprotocol``), with every use made of them."""
    uses: dict[Link, list[RemoteCallback]] = {}
    for facts in index.modules.values():
        for use in facts.uses:
            if use.module != use.used_in:
                uses.setdefault((use.module, use.name), []).append(use)
    found = {}
    for link, passed in uses.items():
        definition = index.definition(*link)
        if definition is None or definition.kind != "function":
            continue
        if any(
            u.legacy and u.role in _ROLES and (u.role != "handler" or len(definition.params) > 1)
            for u in passed
        ):
            found[link] = passed
    return found


def _obstacle(
    link: Link,
    uses: list[RemoteCallback],
    members: Mapping[str, Member],
    checked: Iterable[Member],
) -> str | None:
    """Why the handler cannot move with its calls, seen before fixing anything."""
    module, name = link
    roles = sorted({u.role for u in uses})
    if len(roles) > 1:
        other = next(u for u in uses if u.role == roles[-1])
        return (
            f"it is also passed to `serve()` as `{other.role}` in `{other.used_in}`; "
            "migrate it by hand"
        )
    if module not in members:
        return (
            f"{_file(module)} is not among the files checked; check both to migrate them together"
        )
    word = re.compile(rf"\b{re.escape(name)}\b")
    for member in checked:
        if not word.search(member.text):
            continue
        try:
            tree = ast.parse(member.text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        lines = other_uses(tree, member.text, member.settings, module_name(member.path), link)
        if lines:
            role = roles[0]
            what = "a `serve()` handler" if role == "handler" else f"the `{role}` of a `serve()`"
            return (
                f"it is also used at line {lines[0]} of {member.display}, not as {what}; "
                "migrate it by hand"
            )
    return None


def _users(index: ProjectIndex, link: Link) -> list[str]:
    return sorted({u.used_in for u in index.callbacks_for(link[0]) if u.name == link[1]})


def _settings(member: Member, index: ProjectIndex, module: str) -> Settings:
    return replace(member.settings, project=index, module_name=module)


def _check(
    accepted: set[Link],
    index: ProjectIndex,
    members: Mapping[str, Member],
    fixed: Mapping[str, FixResult],
) -> dict[Link, str]:
    """The re-check across modules: the handlers whose unit the fixes left inconsistent,
    with why."""
    modules = dict(index.modules)
    for module, result in fixed.items():
        try:
            tree = ast.parse(result.source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # the fixer keeps only what compiles
        modules[module] = module_facts(tree, result.source, members[module].settings, module)
    after = ProjectIndex(modules)
    failed = {}
    for link in sorted(accepted):
        module, name = link
        legacy = sorted(
            {u.used_in for u in after.callbacks_for(module) if u.name == name and u.legacy}
        )
        if legacy:
            where = ", ".join(f"`{m}`" for m in legacy)
            failed[link] = (
                "its fix there applies only with that of every `serve()` passing it, and the "
                f"one in {where} stays on the legacy implementation"
            )
            continue
        handler = any(u.role == "handler" for u in index.callbacks_for(module) if u.name == name)
        left = _left_in(link, members[module], fixed[module].source, after, handler=handler)
        if left is not None:
            failed[link] = left
    return failed


def _left_in(
    link: Link, member: Member, source: str, after: ProjectIndex, *, handler: bool
) -> str | None:
    """What still needs the legacy implementation in the fixed callback, if anything."""
    module, name = link
    definition = after.definition(module, name)
    result = check_source(
        source, filename=member.display, settings=_settings(member, after, module)
    )
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "its module does not parse"
    function = next(
        (
            stmt
            for stmt in tree.body
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == name
        ),
        None,
    )
    if function is None or definition is None:
        return "it is no longer defined there"
    last = function.end_lineno or function.lineno
    for diagnostic in result.diagnostics:
        if (
            function.lineno <= diagnostic.start.line <= last
            and RULE_REQUIREMENTS.get(diagnostic.code) is Requirement.NEW
        ):
            return f"{diagnostic.code} in it needs a hand edit there"
    if handler and len(definition.params) != 1:
        return "WSU301 needs a hand edit there"
    return None


def _tied(
    accepted: set[Link], index: ProjectIndex, members: Mapping[str, Member]
) -> dict[Path, frozenset[Path]]:
    """Files written together: those of every unit sharing a file, joined."""
    groups: list[set[Path]] = []
    for link in accepted:
        group = {members[m].path.resolve() for m in (link[0], *_users(index, link))}
        for other in [g for g in groups if g & group]:
            group |= other
            groups.remove(other)
        groups.append(group)
    return {path: frozenset(group) for group in groups for path in group}


def _file(module: str) -> str:
    return module.replace(".", "/") + ".py"
