"""Find the websockets version a project runs on from its dependency declarations.

In each directory from the file's up to the project root, in this order: a lock file
(``uv.lock``, ``poetry.lock``, ``pdm.lock``: the locked version is what runs), then the
declarations (``pyproject.toml``, ``setup.cfg``, ``setup.py``, ``Pipfile``,
``requirements*.txt``, ``requirements/*.txt``). A declared range counts by its lower
bound: code must keep working on the oldest version the project allows; a declaration
without a lower bound tells nothing. When the project declares nothing, the websockets
installed beside the linter is the next best guess (flake8 usually runs in the project's
own environment).
"""

from __future__ import annotations

import ast
import configparser
import functools
import logging
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lint_plugin.backports import tomllib
from lint_plugin.settings import NEWEST_VERSION, Version, format_version, is_known

log = logging.getLogger("lint_plugin")

#: Distribution names (PEP 503-normalized) whose version is the websockets version.
TARGET_DISTRIBUTIONS = frozenset({"websockets", "websockets-impl"})
#: This project's own implementation has its own version numbers; whatever its version, it
#: implements the API of the newest websockets release the linter knows.
IMPLEMENTATIONS = frozenset({"websockets-impl"})

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
    """The lower bound of a PEP 508 requirement on a target distribution, else None.

    Any requirement on this project's own implementation means the newest version.
    """
    match = _NAME_RE.match(requirement)
    if match is None or normalize_name(match.group(1)) not in TARGET_DISTRIBUTIONS:
        return None
    if normalize_name(match.group(1)) in IMPLEMENTATIONS:
        return NEWEST_VERSION
    rest = requirement[match.end() :].split(";", 1)[0]
    if "@" in rest:  # a direct URL reference pins no version we can read
        return None
    rest = re.sub(r"^\s*\[[^\]]*\]", "", rest)
    return lower_bound(rest)


class VersionDetector:
    """Detects target versions, remembering each directory's answer for the run."""

    def __init__(self) -> None:
        self._by_dir: dict[Path, DetectedVersion | None] = {}
        # Answers by the path asked, as given: callers ask once per file.
        self._by_start: dict[Path, DetectedVersion | None] = {}

    def detect(self, start: Path) -> DetectedVersion | None:
        if start in self._by_start:
            return self._by_start[start]
        found = self._by_start[start] = self._detect(start)
        return found

    def _detect(self, start: Path) -> DetectedVersion | None:
        directory = start if start.is_dir() else start.parent
        directory = Path(os.path.abspath(directory))
        visited: list[Path] = []
        found: DetectedVersion | None = None
        for candidate in (directory, *directory.parents):
            if candidate in self._by_dir:
                found = self._by_dir[candidate]
                break
            visited.append(candidate)
            found = _known(_detect_in_directory(candidate))
            if found is not None or _is_project_root(candidate):
                break
        for candidate in visited:
            self._by_dir[candidate] = found
        return found

    def target(self, start: Path) -> DetectedVersion | None:
        """The project's declared version, else the installed one."""
        return self.detect(start) or installed_version()


def _known(found: DetectedVersion | None) -> DetectedVersion | None:
    """A version newer than the linter knows is read as the newest it knows."""
    if found is None or is_known(found.version):
        return found
    newest = format_version(NEWEST_VERSION)
    return DetectedVersion(NEWEST_VERSION, f"{found.source}; newer than {newest}, the newest known")


@functools.cache
def installed_version() -> DetectedVersion | None:
    """The websockets installed in the interpreter running the linter, if any; read once
    per process (the flake8 plugin asks for every file a project declares nothing for)."""
    from importlib import metadata  # slow to import; needed only when nothing declares it

    try:
        text = metadata.version("websockets")
    except metadata.PackageNotFoundError:
        return None
    version = lower_bound(f"=={text}")
    if version is None:
        return None
    return _known(DetectedVersion(version, f"websockets {text} installed in {sys.prefix}"))


#: Files that mark the root of a project: the search for a declaration stops there.
_ROOT_MARKERS = (".git", "pyproject.toml", "setup.py", "setup.cfg")
_LOCK_FILES = ("uv.lock", "poetry.lock", "pdm.lock")


def _is_project_root(directory: Path) -> bool:
    return any((directory / marker).exists() for marker in _ROOT_MARKERS)


def _detect_in_directory(directory: Path) -> DetectedVersion | None:
    readers = [
        *((directory / name, _from_lock) for name in _LOCK_FILES),
        (directory / "pyproject.toml", _from_pyproject),
        (directory / "setup.cfg", _from_setup_cfg),
        (directory / "setup.py", _from_setup_py),
        (directory / "Pipfile", _from_pipfile),
    ]
    try:
        readers += [(path, _from_requirements) for path in _requirements_files(directory)]
    except OSError as exc:
        log.debug("cannot list %s: %s", directory, exc)
    for path, reader in readers:
        if not path.is_file():
            continue
        found = reader(path)
        if found is not None:
            return found
    return None


def _requirements_files(directory: Path) -> list[Path]:
    """``requirements.txt`` first, then ``requirements*.txt``, then ``requirements/*.txt``."""
    top = sorted(
        (p for p in directory.glob("requirements*.txt") if p.is_file()),
        key=lambda p: (p.name != "requirements.txt", p.name),
    )
    nested = directory / "requirements"
    inside = sorted(p for p in nested.glob("*.txt") if p.is_file()) if nested.is_dir() else []
    return top + inside


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        log.debug("cannot read %s: %s", path, exc)
        return None


# requirements files ----------------------------------------------------------------------

_INCLUDE_RE = re.compile(r"^\s*(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)?(\S+)")


def _from_requirements(path: Path, seen: set[Path] | None = None) -> DetectedVersion | None:
    """The first requirement on websockets, following ``-r`` / ``-c`` includes in place."""
    seen = set() if seen is None else seen
    resolved = path.resolve()
    if resolved in seen:
        return None  # an include cycle
    seen.add(resolved)
    text = _read_text(path)
    if text is None:
        return None
    for number, line in _logical_lines(text.splitlines()):
        content = re.split(r"(?:^|\s)#", line, maxsplit=1)[0]
        include = _INCLUDE_RE.match(content)
        if include is not None:
            found = _from_requirements(path.parent / include.group(1), seen)
            if found is not None:
                return found
            continue
        # Per-requirement options such as --hash follow the requirement itself.
        requirement = re.split(r"\s--?[a-z]", content, maxsplit=1)[0].strip()
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


def _read_toml(path: Path) -> tuple[str, dict[str, Any]] | None:
    try:
        text = path.read_text(encoding="utf-8")
        return text, tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        # Detection is best effort; a broken file is reported by whoever owns it.
        log.debug("cannot read %s: %s", path, exc)
        return None


# lock files ------------------------------------------------------------------------------


def _from_lock(path: Path) -> DetectedVersion | None:
    """uv, Poetry and PDM locks all list ``[[package]]`` tables with a name and a version."""
    read = _read_toml(path)
    if read is None:
        return None
    text, data = read
    packages = data.get("package")
    for package in packages if isinstance(packages, list) else []:
        if not isinstance(package, dict):
            continue
        name, locked = package.get("name"), package.get("version")
        if not isinstance(name, str) or normalize_name(name) not in TARGET_DISTRIBUTIONS:
            continue
        if normalize_name(name) in IMPLEMENTATIONS:
            locked = format_version(NEWEST_VERSION)
        if not isinstance(locked, str) or (version := lower_bound(f"=={locked}")) is None:
            continue
        match = re.search(rf"^name\s*=\s*\"{re.escape(name)}\"", text, re.MULTILINE)
        line = f":{text.count(chr(10), 0, match.start()) + 1}" if match else ""
        return DetectedVersion(version, f"{_display(path)}{line}: {name} {locked} (locked)")
    return None


# setup.cfg, setup.py, Pipfile -----------------------------------------------------------


def _from_setup_cfg(path: Path) -> DetectedVersion | None:
    text = _read_text(path)
    if text is None:
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error as exc:
        log.debug("cannot read %s: %s", path, exc)
        return None
    values = []
    if parser.has_option("options", "install_requires"):
        values.append(parser.get("options", "install_requires"))
    if parser.has_section("options.extras_require"):
        values += [value for _, value in parser.items("options.extras_require")]
    for value in values:
        for requirement in (line.strip() for line in value.splitlines()):
            found = _declared(path, text, requirement)
            if found is not None:
                return found
    return None


def _from_setup_py(path: Path) -> DetectedVersion | None:
    """``install_requires`` / ``extras_require`` literals of a ``setup()`` call (never run)."""
    text = _read_text(path)
    if text is None:
        return None
    try:
        tree = ast.parse(text, filename=str(path))
    except (SyntaxError, ValueError) as exc:
        log.debug("cannot parse %s: %s", path, exc)
        return None
    literals = _module_literals(tree)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _call_name(node.func) == "setup"):
            continue
        for keyword in node.keywords:
            if keyword.arg not in ("install_requires", "extras_require"):
                continue
            for requirement, line in _requirement_strings(keyword.value, literals):
                version = requirement_lower_bound(requirement)
                if version is not None:
                    where = f"{_display(path)}:{line}"
                    return DetectedVersion(version, f"{where}: {requirement}")
    return None


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _module_literals(tree: ast.Module) -> dict[str, ast.expr]:
    """Module-level ``NAME = <literal>``: ``install_requires=REQUIRES`` is common."""
    found: dict[str, ast.expr] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                found[target.id] = statement.value
    return found


def _requirement_strings(
    value: ast.expr, literals: dict[str, ast.expr], depth: int = 0
) -> Iterator[tuple[str, int]]:
    """(requirement, line) of each string in a literal, through module-level names."""
    if depth > 3:
        return
    if isinstance(value, ast.Name) and value.id in literals:
        yield from _requirement_strings(literals[value.id], literals, depth + 1)
    elif isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        for item in value.elts:
            yield from _requirement_strings(item, literals, depth + 1)
    elif isinstance(value, ast.Dict):
        for item in value.values:
            yield from _requirement_strings(item, literals, depth + 1)
    elif isinstance(value, ast.Constant) and isinstance(value.value, str):
        yield value.value, value.lineno


def _from_pipfile(path: Path) -> DetectedVersion | None:
    read = _read_toml(path)
    if read is None:
        return None
    text, data = read
    for section in ("packages", "dev-packages"):
        for name, value in _table(data.get(section)).items():
            if normalize_name(name) not in TARGET_DISTRIBUTIONS:
                continue
            version = _table_lower_bound(name, value)
            if version is not None:
                requirement = f"{name} = {_poetry_text(value)}"
                line = _line_of(text, requirement)
                location = f"{_display(path)}:{line}" if line else _display(path)
                return DetectedVersion(version, f"{location}: {requirement}")
    return None


def _declared(path: Path, text: str, requirement: str) -> DetectedVersion | None:
    version = requirement_lower_bound(requirement) if requirement else None
    if version is None:
        return None
    line = _line_of(text, requirement, quoted=False)
    location = f"{_display(path)}:{line}" if line else _display(path)
    return DetectedVersion(version, f"{location}: {requirement}")


# pyproject.toml --------------------------------------------------------------------------


def _from_pyproject(path: Path) -> DetectedVersion | None:
    read = _read_toml(path)
    if read is None:
        return None
    text, data = read
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
                yield where, f"{name} = {_poetry_text(value)}", _table_lower_bound(name, value)
    pdm = _table(tool.get("pdm"))
    for group, requirements in _table(pdm.get("dev-dependencies")).items():
        for requirement in _strings(requirements):
            where = f"[tool.pdm.dev-dependencies].{group}"
            yield where, requirement, requirement_lower_bound(requirement)


def _table_lower_bound(name: str, value: object) -> Version | None:
    """A Poetry or Pipfile entry's lower bound (any entry for the implementation)."""
    return NEWEST_VERSION if normalize_name(name) in IMPLEMENTATIONS else _poetry_lower_bound(value)


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


def _line_of(text: str, requirement: str, *, quoted: bool = True) -> int | None:
    """The line declaring ``requirement``; Poetry and Pipfile keys are matched by name."""
    if " = " in requirement:
        name = re.escape(requirement.split(" = ", 1)[0])
        pattern = re.compile(rf"^\s*[\"']?{name}[\"']?\s*=", re.MULTILINE)
    elif quoted:
        pattern = re.compile(rf"[\"']{re.escape(requirement)}[\"']")
    else:
        pattern = re.compile(re.escape(requirement))
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
