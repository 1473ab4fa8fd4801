"""Results of earlier runs, keyed by what determines them: tool, settings, file content.

One small JSON file per key under ``<cache dir>/<tool version>/``. Entries are written
atomically and never updated in place, so concurrent runs cannot corrupt each other; an
entry that does not load (truncated, edited, from another format, any bytes at all) is
ignored and rewritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import lint_plugin
from lint_plugin.engine import CheckResult, SyntaxProblem
from lint_plugin.model import Applicability, Diagnostic, Edit, Fix, Position
from lint_plugin.noqa import NoqaWarning
from lint_plugin.settings import Settings

DEFAULT_CACHE_DIR = ".wsu_cache"
#: The Cache Directory Tagging Specification's file: backup tools skip the directory.
CACHE_TAG_NAME = "CACHEDIR.TAG"
CACHE_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by wsu.\n"
)
_FORMAT = 1


@cache
def code_fingerprint() -> str:
    """Identifies this build of the linter.

    The version alone is not enough: with an editable install the rules change without
    a new version number, and stale results must not survive that.
    """
    package = Path(lint_plugin.__file__).parent
    digest = hashlib.sha256(f"{lint_plugin.__version__}:{_FORMAT}".encode())
    for path in sorted(package.rglob("*.py")):
        status = path.stat()
        digest.update(f"{path.relative_to(package)}:{status.st_size}:{status.st_mtime_ns}".encode())
    return digest.hexdigest()


def settings_fingerprint(settings: Settings) -> str:
    return repr(
        (
            settings.target_version,
            settings.modules,
            settings.select,
            settings.extend_select,
            settings.ignore,
            settings.legacy_patches,
            tuple(sorted(settings.legacy_classes)),
            tuple(sorted(settings.module_reexports)),
            settings.attribute_reads,
        )
    )


@dataclass
class Cache:
    directory: Path

    def __post_init__(self) -> None:
        self.entries = self.directory / lint_plugin.__version__

    def key(self, content_digest: str, settings: Settings, module: str | None = None) -> str:
        """``module``: the module name of a file that may pass callbacks to ``serve()``;
        ``wsu check`` stores its result only when it passes none imported from another
        module (``cli/project_index.py``), so that a hit needs no project index."""
        material = f"{code_fingerprint()}\0{settings_fingerprint(settings)}\0{content_digest}"
        if module is not None:
            material += f"\0{module}"
        return hashlib.sha256(material.encode()).hexdigest()

    def load(self, key: str) -> CheckResult | None:
        try:
            data = json.loads((self.entries / f"{key}.json").read_text(encoding="utf-8"))
            result = result_from_json(data)
        except (OSError, ValueError, LookupError, TypeError, AttributeError, RecursionError):
            # Whatever is in the file (any bytes, nesting deep enough to exhaust the
            # parser's recursion): a miss; the file is linted and the entry rewritten.
            return None
        return result

    def store(self, key: str, result: CheckResult) -> None:
        """Best effort: a cache that cannot be written only makes the next run slower."""
        try:
            self._prepare()
            fd, temporary = tempfile.mkstemp(dir=self.entries, suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(result_to_json(result), handle, separators=(",", ":"))
                os.replace(temporary, self.entries / f"{key}.json")
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError:
            return

    def _prepare(self) -> None:
        if self.entries.is_dir():
            return
        self.entries.mkdir(parents=True, exist_ok=True)
        # As ruff does: keep the cache out of version control and backups.
        (self.directory / ".gitignore").write_text("# Automatically created by wsu.\n*\n")
        (self.directory / CACHE_TAG_NAME).write_text(CACHE_TAG)


def is_wsu_cache(directory: Path) -> bool:
    """Whether ``directory`` holds the tag this tool writes (so ``wsu clean`` may remove it)."""
    try:
        return (directory / CACHE_TAG_NAME).read_text(encoding="utf-8") == CACHE_TAG
    except (OSError, UnicodeDecodeError):
        return False


def result_to_json(result: CheckResult) -> dict[str, Any]:
    return {
        "format": _FORMAT,
        "diagnostics": [_diagnostic_to_json(d) for d in result.diagnostics],
        "syntax_error": (
            None
            if result.syntax_error is None
            else [result.syntax_error.line, result.syntax_error.column, result.syntax_error.message]
        ),
        "noqa_warnings": [[w.line, w.column, w.message] for w in result.noqa_warnings],
        "skipped": result.skipped,
    }


def result_from_json(data: dict[str, Any]) -> CheckResult:
    if data["format"] != _FORMAT:
        raise ValueError("cache entry of another format")
    syntax = data["syntax_error"]
    return CheckResult(
        diagnostics=[_diagnostic_from_json(d) for d in _list(data["diagnostics"])],
        syntax_error=None if syntax is None else SyntaxProblem(*_line_column_text(syntax)),
        noqa_warnings=[NoqaWarning(*_line_column_text(w)) for w in _list(data["noqa_warnings"])],
        skipped=bool(data["skipped"]),
    )


def _list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {type(value).__name__}")
    return value


def _line_column_text(value: object) -> tuple[int, int, str]:
    line, column, text = _list(value)
    return _integer(line), _integer(column), _string(text)


def _integer(value: object) -> int:
    # bool is an int to Python, not to the cache's writer.
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected an integer, got {value!r}")
    return value


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {value!r}")
    return value


def _optional_string(value: object) -> str | None:
    return None if value is None else _string(value)


def _position(value: object) -> Position:
    line, column = _list(value)
    return Position(_integer(line), _integer(column))


def _diagnostic_to_json(diagnostic: Diagnostic) -> dict[str, Any]:
    fix = diagnostic.fix
    return {
        "code": diagnostic.code,
        "name": diagnostic.name,
        "message": diagnostic.message,
        "start": [diagnostic.start.line, diagnostic.start.column],
        "end": [diagnostic.end.line, diagnostic.end.column],
        "fix_title": diagnostic.fix_title,
        "parent": None if diagnostic.parent is None else [*_pair(diagnostic.parent)],
        "fix": None
        if fix is None
        else {
            "applicability": fix.applicability.value,
            "title": fix.title,
            "edits": [[*_pair(e.start), *_pair(e.end), e.content] for e in fix.edits],
        },
    }


def _pair(position: Position) -> tuple[int, int]:
    return position.line, position.column


def _diagnostic_from_json(data: dict[str, Any]) -> Diagnostic:
    fix_data = data["fix"]
    fix = None
    if fix_data is not None:
        edits = tuple(
            Edit(_position([sl, sc]), _position([el, ec]), _string(content))
            for sl, sc, el, ec, content in _list(fix_data["edits"])
        )
        fix = Fix(edits, Applicability(fix_data["applicability"]), _string(fix_data["title"]))
    return Diagnostic(
        code=_string(data["code"]),
        name=_string(data["name"]),
        message=_string(data["message"]),
        start=_position(data["start"]),
        end=_position(data["end"]),
        fix_title=_optional_string(data["fix_title"]),
        fix=fix,
        parent=None if data["parent"] is None else _position(data["parent"]),
    )
