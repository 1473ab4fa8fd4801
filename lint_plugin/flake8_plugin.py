"""The flake8 front end: ``flake8 --select WSU``.

flake8 parses the file and handles ``# noqa`` and code selection itself; this
adapter runs the engine on flake8's tree, only for files that mention a target
module (the others cost one regex search), and never raises on a file it cannot
analyse. It reads the same configuration as ``wsu`` (``[tool.wsu]`` in the nearest
``pyproject.toml``, or ``wsu.toml``); flake8's own options win over it: a
``--wsu-*`` option replaces the setting, and a rule named in ``--select`` /
``--extend-select`` (``WSU201``, ``WSU5``) is enabled even if the configuration
ignores it. A broken configuration is an error, as it is for ``wsu``.
"""

from __future__ import annotations

import ast
import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from lint_plugin import __version__
from lint_plugin.config import Options, find_config, load_options, parse_modules
from lint_plugin.engine import check_tree, mentions_target
from lint_plugin.model import Diagnostic
from lint_plugin.settings import (
    Settings,
    SettingsError,
    Version,
    format_version,
    parse_version,
)
from lint_plugin.upgrade import fixable_after_upgrade

log = logging.getLogger("flake8.wsu")

_STDIN_NAMES = frozenset({"-", "stdin", "<stdin>"})


class WSUChecker:
    name = "wsu-lint"
    version = __version__

    _target_option: ClassVar[Version | None] = None
    _modules_option: ClassVar[tuple[str, ...] | None] = None
    _named: ClassVar[tuple[str, ...]] = ()
    _options: ClassVar[dict[Path | None, Options]] = {}
    _config_by_dir: ClassVar[dict[Path, Path | None]] = {}
    _announced: ClassVar[set[str]] = set()

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
            "target-version in [tool.wsu], else detected from the project's dependency "
            "declarations, else the installed websockets, else the newest release).",
        )
        parser.add_option(
            "--wsu-modules",
            default=None,
            parse_from_config=True,
            comma_separated_list=True,
            help="Top-level module names that mean websockets (default: modules in "
            "[tool.wsu], else websockets,websockets_impl).",
        )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        target = options.wsu_target_version
        modules = options.wsu_modules
        if isinstance(modules, str):
            modules = modules.split(",")
        try:
            cls._target_option = (
                parse_version(target, option="--wsu-target-version") if target else None
            )
            cls._modules_option = (
                parse_modules(modules, option="--wsu-modules") if modules else None
            )
        except SettingsError as exc:
            raise SystemExit(f"flake8: {exc}") from None
        # flake8 applies its own --select; a rule it names explicitly must also get past
        # the configuration's ignore list and the opt-in default, as on `wsu check`.
        named = [*(options.select or ()), *(getattr(options, "extend_select", None) or ())]
        cls._named = tuple(code for code in named if code.startswith("WSU") and len(code) > 3)
        cls._options = {}
        cls._config_by_dir = {}
        try:
            # The configuration of the directory flake8 runs in, read now so that a bad
            # one stops the run with its message (files elsewhere log theirs).
            cls._options_for(Path.cwd() / "-")
        except SettingsError as exc:
            raise SystemExit(f"flake8: {exc}") from None

    @classmethod
    def _options_for(cls, path: Path) -> Options:
        directory = path.parent
        if directory not in cls._config_by_dir:
            cls._config_by_dir[directory] = find_config(path)
        config_path = cls._config_by_dir[directory]
        options = cls._options.get(config_path)
        if options is None:
            options = load_options(config_path)
            options = options.with_selection(None, cls._named, ())
            if cls._modules_option is not None:
                options = replace(options, modules=cls._modules_option)
            if cls._target_option is not None:
                options = replace(
                    options,
                    target_version=cls._target_option,
                    target_version_source="from --wsu-target-version",
                )
            cls._options[config_path] = options
        return options

    def _settings(self) -> Settings:
        stdin = self.filename in _STDIN_NAMES
        path = Path.cwd() / "-" if stdin else Path(self.filename).absolute()
        return self._options_for(path).settings_for(path)

    def run(self) -> Iterator[tuple[int, int, str, type[WSUChecker]]]:
        source = "".join(self.lines)
        # The configuration decides the modules: it is read before the cheap prefilter.
        try:
            settings = self._settings()
        except SettingsError as exc:
            log.error("wsu-lint: %s: not checked: %s", self.filename, exc)
            return
        if not mentions_target(source, settings.modules):
            return
        try:
            diagnostics = check_tree(self.tree, source, settings)
        except Exception:  # A file the plugin cannot analyse must not break flake8.
            log.warning("wsu-lint could not analyse %s", self.filename, exc_info=True)
            return
        if diagnostics:
            self._announce(settings, diagnostics)
        for diagnostic in diagnostics:
            yield (
                diagnostic.start.line,
                diagnostic.start.column,
                f"{diagnostic.code} {diagnostic.message}",
                type(self),
            )

    def _announce(self, settings: Settings, diagnostics: list[Diagnostic]) -> None:
        """flake8 has no run summary: each target is logged once (shown with ``-v``)."""
        target = f"target websockets {format_version(settings.target_version)}"
        line = f"{target} ({settings.target_version_source})"
        if line not in self._announced:
            self._announced.add(line)
            log.info("wsu: %s", line)
        waiting = sum(fixable_after_upgrade(d.message, d.fix) is not None for d in diagnostics)
        if waiting:
            log.info(
                "wsu: %s: %d finding(s) can be fixed only after a websockets upgrade",
                self.filename,
                waiting,
            )
