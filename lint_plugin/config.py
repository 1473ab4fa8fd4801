"""``[tool.wsu]`` in pyproject.toml and ``wsu.toml``: finding, validating, merging.

As in ruff, the closest configuration file wins and is used whole (no merging across
files); in one directory ``wsu.toml`` wins over ``pyproject.toml``, and a
``pyproject.toml`` without ``[tool.wsu]`` does not count. Patterns in the file are
relative to the directory holding it.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lint_plugin.backports import tomllib
from lint_plugin.settings import (
    DEFAULT_MODULES,
    NEWEST_VERSION,
    Settings,
    SettingsError,
    Version,
    format_version,
    parse_version,
)
from lint_plugin.target_version import VersionDetector

KEYS = (
    "target-version",
    "select",
    "extend-select",
    "ignore",
    "extend-ignore",
    "per-file-ignores",
    "extend-per-file-ignores",
    "exclude",
    "extend-exclude",
    "unsafe-fixes",
    "modules",
)

DEFAULT_TARGET_SOURCE = "default: no websockets requirement found, newest release assumed"

_SELECTOR_RE = re.compile(r"^WSU\d{0,3}$")
_MODULE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")


class ConfigError(SettingsError):
    """A configuration file that cannot be used; the message names the file and key."""


@dataclass(frozen=True)
class PerFileIgnore:
    pattern: str
    codes: tuple[str, ...]

    def matches(self, relative_path: str) -> bool:
        """ruff's matching: the pattern against the project-relative path or the basename.

        ``*`` crosses directories, so ``tests/*`` covers the whole ``tests`` tree.
        """
        basename = relative_path.rsplit("/", 1)[-1]
        pattern = self.pattern.removeprefix("./")
        return fnmatch.fnmatchcase(relative_path, pattern) or fnmatch.fnmatchcase(basename, pattern)


@dataclass(frozen=True)
class Options:
    """Every knob of a run: a configuration file's values, CLI overrides on top."""

    root: Path
    """Where relative patterns are anchored: the configuration file's directory, else cwd."""
    config_path: Path | None = None
    target_version: Version | None = None
    target_version_source: str = ""
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[PerFileIgnore, ...] = ()
    extend_per_file_ignores: tuple[PerFileIgnore, ...] = ()
    """Kept when a later layer (``--per-file-ignores``) replaces ``per_file_ignores``."""
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    unsafe_fixes: bool = False
    modules: tuple[str, ...] = DEFAULT_MODULES
    legacy_patches: tuple[str, ...] = ()
    """Set by ``wsu check`` for the run: see ``Settings.legacy_patches``."""
    legacy_classes: frozenset[tuple[str, str]] = frozenset()
    """Set by ``wsu check`` for the run: see ``Settings.legacy_classes``."""
    module_reexports: frozenset[tuple[str, str, str]] = frozenset()
    """Set by ``wsu check`` for the run: see ``Settings.module_reexports``."""
    detector: VersionDetector = field(default_factory=VersionDetector, compare=False)

    def with_selection(
        self,
        select: tuple[str, ...] | None,
        extend_select: tuple[str, ...],
        ignore: tuple[str, ...],
    ) -> Options:
        """Layer a later rule selection (command line, editor) over this one, as ruff does.

        ``select`` starts afresh, and what the later layer selects is no longer ignored by
        this one (``ignore = ["WSU201"]`` + ``--extend-select WSU2`` enables WSU201).
        """
        options = self
        selected: tuple[str, ...] = ()
        if select is not None:
            selected = select
            options = replace(options, select=select, extend_select=(), ignore=())
        if extend_select:
            selected += extend_select
            options = replace(options, extend_select=options.extend_select + extend_select)
        kept = tuple(
            code
            for code in options.ignore
            if not any(sel == "ALL" or code.startswith(sel) for sel in selected)
        )
        return replace(options, ignore=kept + ignore)

    def target_for(self, directory: Path) -> tuple[Version, str]:
        """The target version for files in ``directory``, and why."""
        if self.target_version is not None:
            return self.target_version, self.target_version_source
        if (detected := self.detector.target(directory)) is not None:
            return detected.version, f"from {detected.source}"
        return NEWEST_VERSION, DEFAULT_TARGET_SOURCE

    def settings_for(self, path: Path) -> Settings:
        """The settings for one file: per-file ignores and its detected target version."""
        version, source = self.target_for(path.parent)
        return Settings(
            target_version=version,
            target_version_source=source,
            modules=self.modules,
            select=self.select if self.select is not None else Settings().select,
            extend_select=self.extend_select,
            ignore=self.ignore + self.ignores_for(path),
            legacy_patches=self.legacy_patches,
            legacy_classes=self.legacy_classes,
            module_reexports=self.module_reexports,
        )

    def ignores_for(self, path: Path) -> tuple[str, ...]:
        if not self.per_file_ignores and not self.extend_per_file_ignores:
            return ()
        relative = relative_posix(path, self.root)
        codes: list[str] = []
        for entry in (*self.per_file_ignores, *self.extend_per_file_ignores):
            if entry.matches(relative):
                codes.extend(entry.codes)
        return tuple(codes)


def relative_posix(path: Path, root: Path) -> str:
    absolute = path.absolute()
    try:
        return absolute.relative_to(root.absolute()).as_posix()
    except ValueError:
        return absolute.as_posix()


def find_config(start: Path) -> Path | None:
    """The closest ``wsu.toml`` or ``pyproject.toml`` with ``[tool.wsu]`` above ``start``."""
    directory = start.absolute()
    if not directory.is_dir():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        wsu_toml = candidate / "wsu.toml"
        if wsu_toml.is_file():
            return wsu_toml
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "wsu" in _table(_read_toml(pyproject).get("tool")):
            return pyproject
    return None


def load_options(config_path: Path | None, *, cwd: Path | None = None) -> Options:
    """Options from a configuration file (or the defaults when there is none)."""
    if config_path is None:
        return Options(root=(cwd or Path.cwd()).absolute())
    config_path = config_path.absolute()
    data = _read_toml(config_path)
    if config_path.name == "pyproject.toml":
        values = _table(_table(data.get("tool")).get("wsu"))
        label = f"{config_path.name} [tool.wsu]"
    else:
        values = data
        label = config_path.name
    return _options_from_table(values, label, config_path)


def _options_from_table(values: dict[str, Any], label: str, path: Path) -> Options:
    for key in values:
        if key not in KEYS:
            hint = difflib.get_close_matches(key, KEYS, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise ConfigError(f"{label}: unknown key '{key}'{suggestion}")
    reader = _Reader(values, label)
    options = Options(root=path.parent, config_path=path)
    if "target-version" in values:
        version = reader.version("target-version")
        source = f"from {path.name} {'[tool.wsu] ' if path.name == 'pyproject.toml' else ''}"
        options = replace(
            options, target_version=version, target_version_source=f"{source}target-version"
        )
    return replace(
        options,
        select=reader.selectors("select") if "select" in values else None,
        extend_select=reader.selectors("extend-select"),
        # extend-ignore is ruff's older spelling of more ignores: the same layer as ignore.
        ignore=reader.selectors("ignore") + reader.selectors("extend-ignore"),
        per_file_ignores=reader.per_file_ignores("per-file-ignores"),
        extend_per_file_ignores=reader.per_file_ignores("extend-per-file-ignores"),
        exclude=reader.strings("exclude") if "exclude" in values else None,
        extend_exclude=reader.strings("extend-exclude"),
        unsafe_fixes=reader.boolean("unsafe-fixes"),
        modules=reader.modules("modules") if "modules" in values else DEFAULT_MODULES,
    )


@dataclass(frozen=True)
class _Reader:
    values: dict[str, Any]
    label: str

    def error(self, key: str, expected: str) -> ConfigError:
        return ConfigError(f"{self.label}: '{key}': expected {expected}, got {self.values[key]!r}")

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.values.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, "a list of strings")
        return tuple(value)

    def boolean(self, key: str) -> bool:
        value = self.values.get(key, False)
        if not isinstance(value, bool):
            raise self.error(key, "true or false")
        return value

    def version(self, key: str) -> Version:
        value = self.values[key]
        # A TOML float would turn "13.10" into 13.1: only strings and whole numbers.
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.error(key, 'a version string such as "13.1"')
        try:
            return parse_version(str(value), option=key)
        except SettingsError as exc:
            raise ConfigError(f"{self.label}: {exc}") from None

    def selectors(self, key: str) -> tuple[str, ...]:
        try:
            return parse_selectors(self.strings(key), option=key)
        except ConfigError:
            raise
        except SettingsError as exc:
            raise ConfigError(f"{self.label}: {exc}") from None

    def modules(self, key: str) -> tuple[str, ...]:
        try:
            return parse_modules(self.strings(key), option=key)
        except ConfigError:
            raise
        except SettingsError as exc:
            raise ConfigError(f"{self.label}: {exc}") from None

    def per_file_ignores(self, key: str) -> tuple[PerFileIgnore, ...]:
        table = self.values.get(key, {})
        if not isinstance(table, dict):
            raise self.error(key, 'a table of "pattern" = ["CODE", ...]')
        entries = []
        for pattern, codes in table.items():
            if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
                raise ConfigError(
                    f"{self.label}: '{key}': {pattern!r}: expected a list of rule codes, "
                    f"got {codes!r}"
                )
            try:
                selectors = parse_selectors(codes, option=f"{key} {pattern!r}")
            except SettingsError as exc:
                raise ConfigError(f"{self.label}: {exc}") from None
            entries.append(PerFileIgnore(pattern, selectors))
        return tuple(entries)


def parse_selectors(values: Iterable[str], *, option: str) -> tuple[str, ...]:
    """Validate rule selectors (``ALL``, ``WSU``, ``WSU2``, ``WSU201``) against the rules."""
    from lint_plugin.rules import ALL_RULES

    codes = [rule.spec.code for rule in ALL_RULES]
    selectors = []
    for raw in values:
        selector = raw.strip().upper()
        if not selector:
            continue
        known = selector == "ALL" or (
            _SELECTOR_RE.match(selector) is not None and any(c.startswith(selector) for c in codes)
        )
        if not known:
            hint = difflib.get_close_matches(selector, codes, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise SettingsError(f"{option}: unknown rule selector '{raw}'{suggestion}")
        selectors.append(selector)
    return tuple(selectors)


def parse_modules(values: Iterable[str], *, option: str) -> tuple[str, ...]:
    modules = tuple(v.strip() for v in values if v.strip())
    bad = [m for m in modules if not _MODULE_RE.match(m)]
    if bad:
        raise SettingsError(f"{option}: not a module name: {bad[0]!r}")
    if not modules:
        raise SettingsError(f"{option}: expected at least one module name")
    return modules


def parse_per_file_ignore(text: str, *, option: str) -> PerFileIgnore:
    """``PATTERN:CODE[,CODE...]`` as given on the command line."""
    pattern, sep, codes = text.rpartition(":")
    if not sep or not pattern or not codes:
        raise SettingsError(f"{option}: expected PATTERN:CODE[,CODE...], got {text!r}")
    return PerFileIgnore(pattern, parse_selectors(codes.split(","), option=option))


def describe_target(version: Version, source: str) -> str:
    return f"target version {format_version(version)} ({source})"


# Parsed files by path, with the (mtime, size) they were read at: the flake8 plugin asks
# for the configuration of every directory, and each question walks up to the same files.
_parsed: dict[Path, tuple[tuple[int, int], dict[str, Any]]] = {}


def _read_toml(path: Path) -> dict[str, Any]:
    """The file's table (shared between callers: never modified)."""
    try:
        stat = path.stat()
        version = (stat.st_mtime_ns, stat.st_size)
        cached = _parsed.get(path)
        if cached is not None and cached[0] == version:
            return cached[1]
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    _parsed[path] = (version, data)
    return data


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
