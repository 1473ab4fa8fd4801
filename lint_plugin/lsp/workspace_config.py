"""Which settings lint a buffer: the closest ``[tool.wsu]`` plus the editor's options.

Configuration files are found and read once and cached until ``reload``, which the server
calls when a configuration file (or a requirements file, which can decide the target
version) changes. A broken file does not stop linting: its error is reported, and the
files it governs are linted with the defaults (and the editor's options) until it is fixed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lint_plugin.config import ConfigError, Options, find_config, load_options
from lint_plugin.files import DEFAULT_EXCLUDE, Walker
from lint_plugin.lsp.client_options import ClientOptions
from lint_plugin.settings import Settings

CONFIG_NAMES = frozenset({"pyproject.toml", "wsu.toml"})


def affects_configuration(path: Path) -> bool:
    """Files whose change can change the settings: configuration and requirements."""
    name = path.name
    return name in CONFIG_NAMES or (name.startswith("requirements") and name.endswith(".txt"))


@dataclass(frozen=True)
class Resolved:
    settings: Settings
    unsafe_fixes: bool
    error: str | None = None
    """Why the configuration file was not used, naming the file and the key."""
    excluded: bool = False
    """The configuration's ``exclude`` / ``extend-exclude`` (or .gitignore) skip this file."""


class WorkspaceConfig:
    """Not thread-safe: the server calls it from its one linting thread only."""

    def __init__(self, client: ClientOptions, roots: Sequence[Path]) -> None:
        self.client = client
        self.roots = [root.absolute() for root in roots]
        self.generation = 0
        """Bumped by every reload: results computed under an older one are stale."""
        self._found: dict[Path, Path | None] = {}
        self._loaded: dict[Path | None, tuple[Options, str | None]] = {}

    def reload(self) -> None:
        self._found.clear()
        self._loaded.clear()
        self.generation += 1

    def resolve(self, path: Path | None) -> Resolved:
        """The settings for a document at ``path`` (``None``: not a file, e.g. untitled)."""
        directory = path.parent if path is not None else self._default_root()
        if directory not in self._found:
            self._found[directory] = find_config(directory)
        config_path = self._found[directory]
        if config_path not in self._loaded:
            self._loaded[config_path] = self._load(config_path, directory)
        options, error = self._loaded[config_path]
        options = self.client.apply(options)
        target = path if path is not None else directory / "untitled.py"
        excluded = path is not None and self._walker(options).is_excluded(path)
        return Resolved(options.settings_for(target), options.unsafe_fixes, error, excluded)

    def _walker(self, options: Options) -> Walker:
        # As `wsu check` walks the project: the same exclusions, .gitignore included.
        exclude = options.exclude if options.exclude is not None else DEFAULT_EXCLUDE
        return Walker(options.root, (*exclude, *options.extend_exclude))

    def _load(self, config_path: Path | None, directory: Path) -> tuple[Options, str | None]:
        root = self._root_of(directory)
        try:
            return load_options(config_path, cwd=root), None
        except ConfigError as exc:
            fallback = config_path.parent if config_path is not None else root
            return load_options(None, cwd=fallback), f"{exc} (in {fallback})"

    def _root_of(self, directory: Path) -> Path:
        """The workspace folder holding ``directory`` (the deepest), else the directory."""
        holding = [root for root in self.roots if directory.is_relative_to(root)]
        return max(holding, key=lambda root: len(root.parts)) if holding else directory

    def _default_root(self) -> Path:
        return self.roots[0] if self.roots else Path.cwd().absolute()
