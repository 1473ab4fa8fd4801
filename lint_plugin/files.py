"""Source files on disk: finding them, decoding them as Python does, writing them back safely."""

from __future__ import annotations

import codecs
import contextlib
import errno
import fnmatch
import hashlib
import io
import operator
import os
import re
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
_SUFFIXES = tuple(PYTHON_SUFFIXES)
_NAME = operator.attrgetter("name")


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
    paths: list[str] = field(default_factory=list)
    """Absolute, in the order of their ``Path`` (component by component)."""
    missing: list[Path] = field(default_factory=list)
    """Paths given on the command line that do not exist."""
    warnings: list[str] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return [Path(path) for path in self.paths]


@dataclass(frozen=True)
class _IgnoreFile:
    directory: str
    spec: pathspec.GitIgnoreSpec

    def verdict(self, path: str, *, is_dir: bool) -> bool | None:
        """True: ignored; False: re-included by a ``!`` pattern; None: no pattern matches."""
        relative = path[len(self.directory) :].lstrip(os.sep).replace(os.sep, "/")
        return self.spec.check_file(relative + "/" if is_dir else relative).include


def _ignored(chain: tuple[_IgnoreFile, ...], path: str, *, is_dir: bool) -> bool:
    # The deepest .gitignore with a matching pattern decides, as in git.
    for ignore_file in reversed(chain):
        verdict = ignore_file.verdict(path, is_dir=is_dir)
        if verdict is not None:
            return verdict
    return False


class Walker:
    """Expands command-line paths into the Python files to check.

    ``exclude`` patterns are ruff's globs: a pattern matches a file or directory by its
    name (``.venv``, ``foo_*.py``) or by its path from the project root
    (``tests/fixtures``, ``src/*.py``); an excluded directory is not entered. .gitignore
    files (in the tree, and above it up to the repository root) are honoured with git's
    rules. As in ruff, a path named on the command line is checked even when excluded,
    unless ``force_exclude`` is set.
    """

    def __init__(
        self,
        root: Path,
        exclude: Iterable[str],
        *,
        respect_gitignore: bool = True,
        force_exclude: bool = False,
    ) -> None:
        self.root = str(root.absolute())
        patterns = [p.strip().rstrip("/").removeprefix("./") for p in exclude if p.strip()]
        self.exclude = (
            re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns))
            if patterns
            else None
        )
        self.respect_gitignore = respect_gitignore
        self.force_exclude = force_exclude
        self._ignore_files: dict[str, _IgnoreFile | None] = {}

    def _load_ignore_file(self, directory: str) -> _IgnoreFile | None:
        if directory not in self._ignore_files:
            self._ignore_files[directory] = _read_ignore_file(directory)
        return self._ignore_files[directory]

    def discover(self, paths: Iterable[Path]) -> Discovery:
        found = Discovery()
        seen: set[str] = set()
        for given in paths:
            path = os.path.abspath(given)
            if not os.path.lexists(path):
                found.missing.append(given)
                continue
            is_dir = os.path.isdir(path)
            if self.force_exclude and self._excluded_here_or_above(Path(path), is_dir=is_dir):
                continue
            if is_dir:
                for file in self._walk(Path(path), found.warnings):
                    if file not in seen:
                        seen.add(file)
                        found.paths.append(file)
            elif path not in seen:
                # Named explicitly: checked whatever its suffix (and a broken or looping
                # symlink gets its read error reported for it).
                seen.add(path)
                found.paths.append(path)
        # The order of their Paths, without making one for each file.
        found.paths.sort(key=path_order)
        return found

    def is_excluded(self, path: Path) -> bool:
        """Whether a walk from the project root would skip the file ``path``."""
        return self._excluded_here_or_above(Path(os.path.abspath(path)), is_dir=False)

    def _excluded_here_or_above(self, path: Path, *, is_dir: bool) -> bool:
        """Whether a walk from the project root would skip ``path`` (``--force-exclude``)."""
        candidates = [(path, is_dir)]
        for parent in path.parents:
            if not str(parent).startswith(self.root + os.sep):
                break
            candidates.append((parent, True))
        return any(
            self._excluded(str(p), is_dir=d, chain=self._chain_above(p, named=False))
            for p, d in candidates
        )

    def _excluded(self, path: str, *, is_dir: bool, chain: tuple[_IgnoreFile, ...]) -> bool:
        if self.exclude is not None:
            if self.exclude.match(os.path.basename(path)):
                return True
            if path.startswith(self.root + os.sep):
                relative = path[len(self.root) + 1 :].replace(os.sep, "/")
                if self.exclude.match(relative):
                    return True
        return self.respect_gitignore and _ignored(chain, path, is_dir=is_dir)

    def _chain_above(self, path: Path, *, named: bool) -> tuple[_IgnoreFile, ...]:
        """The .gitignore files above ``path``, up to the repository root, outermost first.

        For a directory named on the command line (``named``), the files that ignore the
        directory itself are left out: it is walked anyway, as ruff does.
        """
        if not self.respect_gitignore:
            return ()
        chain = []
        for directory in path.parents:
            ignore_file = self._load_ignore_file(str(directory))
            if ignore_file is not None and not (
                named and ignore_file.verdict(str(path), is_dir=True)
            ):
                chain.append(ignore_file)
            if os.path.exists(os.path.join(directory, ".git")):
                break
        return tuple(reversed(chain))

    def _walk(self, top: Path, warnings: list[str]) -> Iterator[str]:
        # Each directory carries the real paths of the directories above it (a directory
        # symlink that leads back to one of them is a loop), its own real path and the
        # .gitignore files that apply to it.
        start = str(top)
        real_start = os.path.realpath(start)
        stack = [(start, real_start, frozenset({real_start}), self._chain_above(top, named=True))]
        excluded = self._excluded
        while stack:
            directory, real_directory, ancestors, chain = stack.pop()
            try:
                with os.scandir(directory) as iterator:
                    entries = sorted(iterator, key=_NAME)
            except OSError as exc:
                warnings.append(f"{directory}: cannot list directory: {exc.strerror or exc}")
                continue
            if self.respect_gitignore and any(e.name == ".gitignore" for e in entries):
                ignore_file = self._load_ignore_file(directory)
                if ignore_file is not None:
                    chain = (*chain, ignore_file)
            subdirectories = []
            for entry in entries:
                name = entry.name
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if excluded(entry.path, is_dir=True, chain=chain):
                        continue
                    # Only a symlink can lead elsewhere than below its directory's real path.
                    real = (
                        os.path.realpath(entry.path)
                        if entry.is_symlink()
                        else os.path.join(real_directory, name)
                    )
                    if real in ancestors:
                        warnings.append(
                            f"{entry.path}: symlink loop (points back to {real}); skipped"
                        )
                        continue
                    subdirectories.append((entry.path, real, ancestors | {real}, chain))
                elif (
                    name.endswith(_SUFFIXES)  # cheap; splitext: `.py` alone has no suffix
                    and os.path.splitext(name)[1] in PYTHON_SUFFIXES
                    and (entry.is_symlink() or _is_file(entry))
                    and not excluded(entry.path, is_dir=False, chain=chain)
                ):
                    yield entry.path
            stack.extend(reversed(subdirectories))


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def path_order(path: str) -> list[str]:
    """The sort key of ``Path(path)`` (component by component), for a string."""
    return os.path.normcase(path).split(os.sep)


def _read_ignore_file(directory: str) -> _IgnoreFile | None:
    try:
        with open(os.path.join(directory, ".gitignore"), encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return _IgnoreFile(directory, pathspec.GitIgnoreSpec.from_lines(lines))


def read_bytes(path: str) -> bytes:
    """The content of the file ``path`` (one read for most source files)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        data = os.read(fd, _FIRST_READ)
        if len(data) < _FIRST_READ:
            return data
        chunks = [data]
        while more := os.read(fd, 1 << 20):
            chunks.append(more)
        return b"".join(chunks)
    finally:
        os.close(fd)


_FIRST_READ = 1 << 16


def plain_utf8(data: bytes) -> bool:
    """Whether ``data`` is read as UTF-8 by the interpreter, having neither a byte order
    mark nor a coding cookie, and decodes: then a text contains a string exactly when the
    bytes contain its UTF-8 encoding. (Other files are decoded with ``decode_source``.)"""
    if data.startswith(codecs.BOM_UTF8):
        return False
    # A cookie is on one of the first two lines.
    first = data.find(b"\n")
    second = data.find(b"\n", first + 1) if first >= 0 else -1
    if b"coding" in (data if second < 0 else data[:second]):
        return False
    if data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


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


class ReadOnlyError(OSError):
    """The file's permissions forbid writing it; the fixer does not override them."""


def is_read_only(status: os.stat_result) -> bool:
    """No write permission bit for anyone, or none the access check grants us.

    A careful editor refuses such a file even when run by root (whom ``os.access``
    would let through): the bits say the owner wants it left alone.
    """
    return not stat.S_IMODE(status.st_mode) & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def write_safely(path: Path, data: bytes) -> None:
    """Replace the content of ``path`` with ``data`` as a careful editor does.

    - A read-only file raises ``ReadOnlyError`` and is left alone.
    - Usually the data goes to a temporary file beside the target, which takes the
      target's mode, owner and group and is renamed over it: readers see the old or the
      new file, never half of one.
    - When a rename would lose something (the file has other hard links, or its owner
      or group cannot be given to a new file), the full data is first written and
      synced to a temporary copy (so a full disk fails before the target is touched),
      then the target itself is rewritten in place; on failure its old content is put back.
    - A symlink is kept: its target is written.
    """
    target = Path(os.path.realpath(path))
    status = target.stat()
    if is_read_only(status) or not os.access(target, os.W_OK):
        raise ReadOnlyError(
            errno.EACCES, "the file is read-only (no write permission); make it writable to fix it"
        )
    mode = stat.S_IMODE(status.st_mode)
    try:
        fd, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".wsu"
        )
    except OSError:
        # A directory we may not create files in: the file itself is writable.
        _write_in_place(target, data)
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            in_place = status.st_nlink > 1 or not _take_ownership(handle.fileno(), status)
        if in_place:
            _write_in_place(target, data)
            os.unlink(temporary)
            return
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _take_ownership(fd: int, status: os.stat_result) -> bool:
    """Give the new file the target's owner and group; False when that is not allowed."""
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) == (status.st_uid, status.st_gid):
        return True
    try:
        os.fchown(fd, status.st_uid, status.st_gid)
    except OSError:
        return False
    return True


def _write_in_place(target: Path, data: bytes) -> None:
    """Rewrite ``target`` through its own inode (links, owner and mode stay as they are)."""
    with open(target, "r+b") as handle:
        original = handle.read()
        try:
            handle.seek(0)
            handle.write(data)
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
        except BaseException:
            handle.seek(0)
            handle.write(original)
            handle.truncate()
            raise
