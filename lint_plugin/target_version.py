"""Find the websockets version a project runs on from its dependency declarations.

The lower bound of the declared range is the target: code must keep working on the
oldest version the project allows. A declaration without a lower bound tells nothing.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lint_plugin.backports import tomllib
from lint_plugin.settings import Version

log = logging.getLogger("lint_plugin")

#: Distribution names (PEP 503-normalized) whose version is the websockets version.
TARGET_DISTRIBUTIONS = frozenset({"websockets", "websockets-impl"})

_NAME_RE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
# One version clause; pre-, post-, dev- and local suffixes are consumed and ignored.
_CLAUSE_RE = re.compile(
    r"(===|~=|==|!=|<=|>=|<|>|\^|~|=)?\s*v?(\d+(?:\.\d+)*)(?:\.\*)?(?:[A-Za-z+_-][A-Za-z0-9._+-]*)?"
)
_LOWER_BOUND_OPERATORS = frozenset({None, "===", "~=", "==", ">=", ">", "^", "~", "="})


@dataclass(frozen=True)
class DetectedVersion:
    version: Version
    source: str
    """Where it came from, e.g. ``requirements.txt:3: websockets==13.1``."""


def normalize_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lower_bound(constraint: str) -> Version | None:
    """The lowest version a PEP 440 or Poetry constraint allows, if it has one.

    ``>=12,<14`` -> 12.0; ``~=13.0`` -> 13.0; ``^13.1`` -> 13.1; ``13.*`` -> 13.0;
    ``<14`` -> None; ``>=12 || >=11`` -> 11.0 (Poetry alternatives: the lowest counts).
    """
    alternatives = [alt for alt in constraint.split("||") if alt.strip()]
    if not alternatives:
        return None
    bounds = [_alternative_lower_bound(alt) for alt in alternatives]
    if any(bound is None for bound in bounds):
        return None
    return min(bound for bound in bounds if bound is not None)


def _alternative_lower_bound(text: str) -> Version | None:
    best: Version | None = None
    for match in _CLAUSE_RE.finditer(text):
        if match.group(1) not in _LOWER_BOUND_OPERATORS:
            continue
        version = _as_version(match.group(2))
        # Several lower bounds (">=12,==13.1") all hold: the highest is the real one.
        best = version if best is None else max(best, version)
    return best


def _as_version(text: str) -> Version:
    parts = [int(p) for p in text.split(".")[:3]]
    while len(parts) < 2:
        parts.append(0)
    return tuple(parts)


def requirement_lower_bound(requirement: str) -> Version | None:
    """The lower bound of a PEP 508 requirement on a target distribution, else None."""
    match = _NAME_RE.match(requirement)
    if match is None or normalize_name(match.group(1)) not in TARGET_DISTRIBUTIONS:
        return None
    rest = requirement[match.end() :].split(";", 1)[0]
    if "@" in rest:  # a direct URL reference pins no version we can read
        return None
    rest = re.sub(r"^\s*\[[^\]]*\]", "", rest)
    return lower_bound(rest)


class VersionDetector:
    """Detects target versions, remembering each directory's answer for the run."""

    def __init__(self) -> None:
        self._by_dir: dict[Path, DetectedVersion | None] = {}

    def detect(self, start: Path) -> DetectedVersion | None:
        directory = start if start.is_dir() else start.parent
        directory = Path(os.path.abspath(directory))
        visited: list[Path] = []
        found: DetectedVersion | None = None
        for candidate in (directory, *directory.parents):
            if candidate in self._by_dir:
                found = self._by_dir[candidate]
                break
            visited.append(candidate)
            found = _detect_in_directory(candidate)
            if found is not None or _is_project_root(candidate):
                break
        for candidate in visited:
            self._by_dir[candidate] = found
        return found


def detect_target_version(start: Path) -> DetectedVersion | None:
    """Search ``start`` (a file or directory) and its parents up to the project root."""
    return VersionDetector().detect(start)


def _is_project_root(directory: Path) -> bool:
    return (directory / ".git").exists() or (directory / "pyproject.toml").is_file()


def _detect_in_directory(directory: Path) -> DetectedVersion | None:
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        found = _from_pyproject(pyproject)
        if found is not None:
            return found
    try:
        names = sorted(
            (p.name for p in directory.glob("requirements*.txt") if p.is_file()),
            key=lambda name: (name != "requirements.txt", name),
        )
    except OSError:
        return None
    for name in names:
        found = _from_requirements(directory / name)
        if found is not None:
            return found
    return None


def _from_requirements(path: Path) -> DetectedVersion | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        log.debug("cannot read %s: %s", path, exc)
        return None
    for number, text in _logical_lines(lines):
        requirement = re.split(r"(?:^|\s)#", text, maxsplit=1)[0]
        # Per-requirement options such as --hash follow the requirement itself.
        requirement = re.split(r"\s--?[a-z]", requirement, maxsplit=1)[0].strip()
        if not requirement or requirement.startswith("-"):
            continue
        version = requirement_lower_bound(requirement)
        if version is not None:
            return DetectedVersion(version, f"{_display(path)}:{number}: {requirement}")
    return None


def _logical_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """Join backslash continuations; yield (first physical line number, text)."""
    start = 0
    parts: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not parts:
            start = number
        if line.endswith("\\"):
            parts.append(line[:-1])
            continue
        parts.append(line)
        yield start, " ".join(parts)
        parts = []
    if parts:
        yield start, " ".join(parts)


def _from_pyproject(path: Path) -> DetectedVersion | None:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        # Detection is best effort; a broken pyproject.toml is reported by whoever owns it.
        log.debug("cannot read %s: %s", path, exc)
        return None
    for where, requirement, version in _pyproject_requirements(data):
        if version is None:
            continue
        line = _line_of(text, requirement)
        location = f"{_display(path)}:{line}" if line else f"{_display(path)} {where}"
        return DetectedVersion(version, f"{location}: {requirement}")
    return None


def _pyproject_requirements(
    data: dict[str, Any],
) -> Iterator[tuple[str, str, Version | None]]:
    """(table, requirement as written, lower bound) in order of authority."""
    project = _table(data.get("project"))
    for requirement in _strings(project.get("dependencies")):
        yield "[project].dependencies", requirement, requirement_lower_bound(requirement)
    for group, requirements in _table(project.get("optional-dependencies")).items():
        for requirement in _strings(requirements):
            where = f"[project.optional-dependencies].{group}"
            yield where, requirement, requirement_lower_bound(requirement)
    for group, requirements in _table(data.get("dependency-groups")).items():
        for requirement in _strings(requirements):
            yield f"[dependency-groups].{group}", requirement, requirement_lower_bound(requirement)
    tool = _table(data.get("tool"))
    poetry = _table(tool.get("poetry"))
    poetry_tables = [
        ("[tool.poetry.dependencies]", _table(poetry.get("dependencies"))),
        ("[tool.poetry.dev-dependencies]", _table(poetry.get("dev-dependencies"))),
    ]
    for group, table in _table(poetry.get("group")).items():
        dependencies = _table(_table(table).get("dependencies"))
        poetry_tables.append((f"[tool.poetry.group.{group}.dependencies]", dependencies))
    for where, table in poetry_tables:
        for name, value in table.items():
            if normalize_name(name) in TARGET_DISTRIBUTIONS:
                yield where, f"{name} = {_poetry_text(value)}", _poetry_lower_bound(value)
    pdm = _table(tool.get("pdm"))
    for group, requirements in _table(pdm.get("dev-dependencies")).items():
        for requirement in _strings(requirements):
            where = f"[tool.pdm.dev-dependencies].{group}"
            yield where, requirement, requirement_lower_bound(requirement)


def _poetry_lower_bound(value: object) -> Version | None:
    if isinstance(value, str):
        return lower_bound(value)
    if isinstance(value, dict):
        version = value.get("version")
        return lower_bound(version) if isinstance(version, str) else None
    if isinstance(value, list):
        # Multiple-constraint form: one entry per marker; the lowest bound counts.
        bounds = [_poetry_lower_bound(entry) for entry in value]
        if not bounds or any(bound is None for bound in bounds):
            return None
        return min(bound for bound in bounds if bound is not None)
    return None


def _poetry_text(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict) and isinstance(value.get("version"), str):
        return f'{{ version = "{value["version"]}" }}'
    return "..."


def _line_of(text: str, requirement: str) -> int | None:
    """The line declaring ``requirement``; Poetry keys are matched by name."""
    if " = " in requirement:
        name = re.escape(requirement.split(" = ", 1)[0])
        pattern = re.compile(rf"^\s*[\"']?{name}[\"']?\s*=", re.MULTILINE)
    else:
        pattern = re.compile(rf"[\"']{re.escape(requirement)}[\"']")
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
