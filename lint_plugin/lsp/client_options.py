"""The server's initialization options: the editor's layer of settings over ``[tool.wsu]``."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from lint_plugin.config import Options, parse_modules, parse_selectors
from lint_plugin.settings import SettingsError, Version, parse_version

DEFAULT_DEBOUNCE = 0.0
"""Seconds of quiet after a change before the buffer is linted. None by default: the
server lints as soon as the previous lint of the buffer is done (changes made meanwhile
are linted together), so diagnostics follow a pause in typing by one lint's time."""


@dataclass(frozen=True)
class ClientOptions:
    target_version: Version | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    unsafe_fixes: bool | None = None
    modules: tuple[str, ...] | None = None
    debounce: float = DEFAULT_DEBOUNCE

    def apply(self, options: Options) -> Options:
        """Layer these over a configuration file's options, as the command line does.

        ``select`` starts afresh; what the editor selects is no longer ignored by the file
        (``ignore = ["WSU201"]`` + ``extendSelect: ["WSU2"]`` enables WSU201).
        """
        options = options.with_selection(self.select, self.extend_select, self.ignore)
        if self.unsafe_fixes is not None:
            options = replace(options, unsafe_fixes=self.unsafe_fixes)
        if self.modules is not None:
            options = replace(options, modules=self.modules)
        if self.target_version is not None:
            options = replace(
                options,
                target_version=self.target_version,
                target_version_source="from the initialization option targetVersion",
            )
        return options


def _strings(key: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SettingsError(f"{key}: expected a list of strings, got {value!r}")
    return value


def _selectors(key: str, value: object) -> tuple[str, ...]:
    return parse_selectors(_strings(key, value), option=key)


def _version(key: str, value: object) -> Version:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise SettingsError(f'{key}: expected a version string such as "13.1", got {value!r}')
    return parse_version(str(value), option=key)


def _boolean(key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise SettingsError(f"{key}: expected true or false, got {value!r}")
    return value


def _seconds(key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 10:
        raise SettingsError(f"{key}: expected a number of seconds from 0 to 10, got {value!r}")
    return float(value)


_FIELDS: dict[str, tuple[str, Callable[[str, Any], object]]] = {
    "targetVersion": ("target_version", _version),
    "select": ("select", _selectors),
    "extendSelect": ("extend_select", _selectors),
    "ignore": ("ignore", _selectors),
    "unsafeFixes": ("unsafe_fixes", _boolean),
    "modules": ("modules", lambda key, value: parse_modules(_strings(key, value), option=key)),
    "debounce": ("debounce", _seconds),
}


def parse_client_options(raw: object) -> tuple[ClientOptions, list[str]]:
    """The options, and one message per bad entry; a bad entry is left at its default.

    No options may come as ``null``, ``{}`` or ``[]``: Neovim encodes an empty Lua table
    (its default ``init_options``) as an empty JSON array.
    """
    if raw is None or raw == []:
        return ClientOptions(), []
    if not isinstance(raw, dict):
        return ClientOptions(), [f"initializationOptions: expected an object, got {raw!r}"]
    values: dict[str, Any] = {}
    problems = []
    for key, value in raw.items():
        if key not in _FIELDS:
            hint = difflib.get_close_matches(key, _FIELDS, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            problems.append(f"initializationOptions: unknown key '{key}'{suggestion}")
            continue
        name, parse = _FIELDS[key]
        try:
            values[name] = parse(key, value)
        except SettingsError as exc:
            problems.append(f"initializationOptions: {exc}")
    return ClientOptions(**values), problems
