"""The flake8 front end: ``flake8 --select WSU``.

flake8 parses the file and handles ``# noqa`` and code selection itself; this
adapter runs the engine on flake8's tree, only for files that mention a target
module (the others cost one regex search), and never raises.
"""

from __future__ import annotations

import ast
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lint_plugin import __version__
from lint_plugin.engine import check_tree, mentions_target
from lint_plugin.settings import (
    DEFAULT_MODULES,
    NEWEST_VERSION,
    Settings,
    SettingsError,
    format_version,
    parse_version,
)
from lint_plugin.target_version import VersionDetector

log = logging.getLogger("flake8.wsu")

#: flake8 filters by its own --select; every rule runs here.
_ALL_CODES = ("WSU",)
OPT_IN_PREFIX = "WSU5"


class WSUChecker:
    name = "wsu-lint"
    version = __version__

    _target_option: str | None = None
    _modules: tuple[str, ...] = DEFAULT_MODULES
    _opt_in: tuple[str, ...] = ()
    _detector = VersionDetector()

    def __init__(self, tree: ast.Module, lines: list[str], filename: str) -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, parser: Any) -> None:
        parser.add_option(
            "--wsu-target-version",
            default=None,
            parse_from_config=True,
            help="websockets version the code runs on, e.g. 13, 13.1 or 14.2 (default: "
            "detected from pyproject.toml / requirements*.txt, else the newest release).",
        )
        parser.add_option(
            "--wsu-modules",
            default=",".join(DEFAULT_MODULES),
            parse_from_config=True,
            comma_separated_list=True,
            help="Top-level module names that mean websockets (default: %(default)s).",
        )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        target = options.wsu_target_version
        if target:
            try:
                parse_version(target, option="--wsu-target-version")
            except SettingsError as exc:
                raise SystemExit(f"flake8: {exc}") from None
        cls._target_option = target or None
        modules = options.wsu_modules
        if isinstance(modules, str):
            modules = [m.strip() for m in modules.split(",")]
        cls._modules = tuple(m for m in modules if m) or DEFAULT_MODULES
        # The opt-in WSU5xx rules run only when named (--select / --extend-select WSU5...);
        # flake8 itself would let a plain --select WSU through.
        named = [*(options.select or ()), *(getattr(options, "extend_select", None) or ())]
        cls._opt_in = tuple(code for code in named if code.startswith(OPT_IN_PREFIX))

    def _settings(self) -> Settings:
        if self._target_option:
            return Settings(
                target_version=parse_version(self._target_option),
                target_version_source="--wsu-target-version",
                modules=self._modules,
                select=_ALL_CODES,
                extend_select=self._opt_in,
            )
        detected = None
        if self.filename not in {"-", "stdin", "<stdin>"}:
            detected = self._detector.detect(Path(self.filename))
        if detected is None:
            return Settings(
                target_version=NEWEST_VERSION,
                modules=self._modules,
                select=_ALL_CODES,
                extend_select=self._opt_in,
            )
        return Settings(
            target_version=detected.version,
            target_version_source=detected.source,
            modules=self._modules,
            select=_ALL_CODES,
            extend_select=self._opt_in,
        )

    def run(self) -> Iterator[tuple[int, int, str, type[WSUChecker]]]:
        source = "".join(self.lines)
        if not mentions_target(source, self._modules):
            return
        try:
            settings = self._settings()
            log.debug(
                "%s: target version %s (%s)",
                self.filename,
                format_version(settings.target_version),
                settings.target_version_source,
            )
            diagnostics = check_tree(self.tree, source, settings)
        except Exception:  # A file the plugin cannot analyse must not break flake8.
            log.warning("wsu-lint could not analyse %s", self.filename, exc_info=True)
            return
        for diagnostic in diagnostics:
            yield (
                diagnostic.start.line,
                diagnostic.start.column,
                f"{diagnostic.code} {diagnostic.message}",
                type(self),
            )
