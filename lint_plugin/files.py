"""Source files on disk: finding them, decoding them as Python does, writing them back safely."""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import io
import os
import stat
import tempfile
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

#: ruff's default exclusions, plus this tool's cache.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pyenv",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    ".vscode",
    ".wsu_cache",
    "__pypackages__",
    "_build",
    "buck-out",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)
PYTHON_SUFFIXES = frozenset({".py", ".pyi"})


class SourceError(Exception):
    """A file that cannot be read or decoded; ``line`` points at the problem when known."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class SourceText:
    text: str
    """Decoded text; line endings kept as they are in the file."""
    encoding: str
    """Codec to write it back with (``utf-8-sig`` keeps a byte order mark)."""
    digest: str
    """sha256 of the bytes on disk."""


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)
    """Paths given on the command line that do not exist."""
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _IgnoreFile:
    directory: Path
    spec: pathspec.GitIgnoreSpec


class Walker:
    """Expands command-line paths into the Python files to check.

    Exclusions use .gitignore syntax: a pattern without a slash matches a name at any
    depth, one with a slash is anchored at the project root. As in ruff, a path named on
    the command line is checked even when excluded, unless ``force_exclude`` is set.
    """

    def __init__(
        self,
        root: Path,
        exclude: Iterable[str],
        *,
        respect_gitignore: bool = True,
        force_exclude: bool = False,
    ) -> None:
        self.root = root.absolute()
        self.exclude = pathspec.GitIgnoreSpec.from_lines(list(exclude))
        self.respect_gitignore = respect_gitignore
        self.force_exclude = force_exclude
        self._ignore_files: dict[Path, _IgnoreFile | None] = {}

    def discover(self, paths: Iterable[Path]) -> Discovery:
        found = Discovery()
        seen: set[Path] = set()
        for given in paths:
            path = Path(os.path.abspath(given))
            if not os.path.lexists(path):
                found.missing.append(given)
                continue
            if self.force_exclude and self.is_excluded(path, is_dir=path.is_dir()):
                continue
            if path.is_dir():
                for file in self._walk(path, found.warnings):
                    _add(found, seen, file)
            else:
                # Named explicitly: checked whatever its suffix (and a broken or looping
                # symlink gets its read error reported for it).
                _add(found, seen, path)
        found.files.sort()
        return found

    def is_excluded(self, path: Path, *, is_dir: bool) -> bool:
        # Outside the project root only the patterns without a slash can apply.
        relative = self._relative(path) or path.name
        if self.exclude.match_file(relative + ("/" if is_dir else "")):
            return True
        return self.respect_gitignore and self._gitignored(path, is_dir=is_dir)

    def _relative(self, path: Path) -> str | None:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return None

    def _walk(self, top: Path, warnings: list[str]) -> Iterator[Path]:
        # (directory, real paths of the directories above it): a directory symlink that
        # leads back to one of those is a loop.
        stack: list[tuple[Path, frozenset[str]]] = [(top, frozenset({os.path.realpath(top)}))]
        while stack:
            directory, ancestors = stack.pop()
            try:
                with os.scandir(directory) as iterator:
                    entries = sorted(iterator, key=lambda e: e.name)
            except OSError as exc:
                warnings.append(f"{directory}: cannot list directory: {exc.strerror or exc}")
                continue
            subdirectories = []
            for entry in entries:
                path = Path(entry.path)
                try:
                    is_dir = entry.is_dir()
                    is_file = entry.is_file()
                except OSError:
                    is_dir = is_file = False
                if is_dir:
                    if self.is_excluded(path, is_dir=True):
                        continue
                    real = os.path.realpath(path)
                    if real in ancestors:
                        warnings.append(f"{path}: symlink loop (points back to {real}); skipped")
                        continue
                    subdirectories.append((path, ancestors | {real}))
                elif (
                    path.suffix in PYTHON_SUFFIXES
                    and (is_file or entry.is_symlink())
                    and not self.is_excluded(path, is_dir=False)
                ):
                    yield path
            stack.extend(reversed(subdirectories))

    def _gitignored(self, path: Path, *, is_dir: bool) -> bool:
        # The deepest .gitignore with a matching pattern decides, as in git.
        for directory in path.parents:
            ignore_file = self._ignore_file(directory)
            if ignore_file is not None:
                relative = path.relative_to(directory).as_posix() + ("/" if is_dir else "")
                include = ignore_file.spec.check_file(relative).include
                if include is not None:
                    return include
            if (directory / ".git").exists():
                break
        return False

    def _ignore_file(self, directory: Path) -> _IgnoreFile | None:
        if directory not in self._ignore_files:
            loaded = None
            try:
                lines = (directory / ".gitignore").read_text(encoding="utf-8").splitlines()
                loaded = _IgnoreFile(directory, pathspec.GitIgnoreSpec.from_lines(lines))
            except (OSError, UnicodeDecodeError):
                pass
            self._ignore_files[directory] = loaded
        return self._ignore_files[directory]


def _add(found: Discovery, seen: set[Path], path: Path) -> None:
    if path not in seen:
        seen.add(path)
        found.files.append(path)


def decode_source(data: bytes) -> SourceText:
    """Decode like the interpreter: a BOM or a PEP 263 coding cookie, else UTF-8."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise SourceError(f"cannot decode: {exc}", getattr(exc, "lineno", None) or 1) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            f"cannot decode as {encoding}: {exc.reason} (byte 0x{data[exc.start]:02x} on line "
            f"{line}); declare the encoding with a coding comment (PEP 263)",
            line,
        ) from None
    return SourceText(text, encoding, digest)


def read_source(path: Path) -> SourceText:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from None
    return decode_source(data)


def digest_file(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def encode_source(text: str, encoding: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise SourceError(
            f"cannot encode the fixed text as {codecs.lookup(encoding).name}: {exc.reason}"
        ) from None


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or new file, never half.

    The temporary file lives in the target's directory (``os.replace`` cannot cross
    file systems) and takes the target's permission bits. A symlink is kept: its target
    is replaced.
    """
    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(target.stat().st_mode)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".wsu")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
