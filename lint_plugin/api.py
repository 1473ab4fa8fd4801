"""The linter as a library: check or fix a source string or the files under a path.

Configuration is found as ``wsu check`` finds it (the closest ``wsu.toml`` or
``pyproject.toml`` with ``[tool.wsu]`` above the file, else the defaults), and the
keyword arguments are a later layer over it, as the command line is. Nothing here writes
to disk unless ``write=True`` is passed to :func:`check_path`. See docs/api.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from lint_plugin.config import Options, find_config, load_options, parse_selectors
from lint_plugin.engine import SyntaxProblem, check_source
from lint_plugin.files import DEFAULT_EXCLUDE, SourceError, Walker, encode_source, read_source
from lint_plugin.files import write_safely as _write_safely
from lint_plugin.fixes import fix_source
from lint_plugin.model import Applicability, Diagnostic, Edit, Fix, Position
from lint_plugin.settings import parse_version

__all__ = [
    "Applicability",
    "Diagnostic",
    "Edit",
    "Fix",
    "Position",
    "Report",
    "SyntaxProblem",
    "check",
    "check_path",
    "fix",
]


@dataclass(frozen=True)
class Report:
    """What the linter found in one source (and, when fixing, what it made of it)."""

    path: Path | None
    """The file, or the ``path`` given with a source string (``None`` without one)."""
    source: str
    """The text the linter read."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """What remains to report: in ``source`` when checking, in ``fixed_source`` when fixing."""
    syntax_error: SyntaxProblem | None = None
    fixed_source: str | None = None
    """The fixed text (equal to ``source`` when nothing applied); ``None`` when not fixing."""
    fixed: dict[str, int] = field(default_factory=dict)
    """Fixes applied, by rule code."""
    error: str | None = None
    """Why the file could not be read or written; nothing else is set then."""

    @property
    def changed(self) -> bool:
        return self.fixed_source is not None and self.fixed_source != self.source


def check(
    source: str,
    *,
    path: str | Path | None = None,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    target_version: str | None = None,
    use_config: bool = True,
) -> Report:
    """Lint ``source``. ``path`` (which need not exist) names it: its configuration file
    and per-file ignores apply, unless ``use_config`` is false."""
    options = _options(path, select, extend_select, ignore, target_version, use_config)
    return _check_text(source, _as_path(path), options, fixing=False, unsafe=False)


def fix(
    source: str,
    *,
    unsafe: bool | None = None,
    path: str | Path | None = None,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    target_version: str | None = None,
    use_config: bool = True,
) -> Report:
    """Fix ``source`` as ``wsu check --fix`` would; ``unsafe`` defaults to the configuration's
    ``unsafe-fixes``. The result is in ``Report.fixed_source``."""
    options = _options(path, select, extend_select, ignore, target_version, use_config)
    unsafe = options.unsafe_fixes if unsafe is None else unsafe
    return _check_text(source, _as_path(path), options, fixing=True, unsafe=unsafe)


def check_path(
    path: str | Path,
    *,
    fix: bool = False,
    unsafe: bool | None = None,
    write: bool = False,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    target_version: str | None = None,
) -> list[Report]:
    """Check (or fix) a file, or the Python files under a directory, skipping what the
    configuration and .gitignore exclude. With ``write=True`` fixed files are written back
    the way ``wsu check --fix`` writes them (read-only files are refused: see
    ``Report.error``)."""
    if write and not fix:
        raise ValueError("write=True needs fix=True")
    top = Path(path)
    options = _options(top, select, extend_select, ignore, target_version, True)
    exclude = options.exclude if options.exclude is not None else DEFAULT_EXCLUDE
    found = Walker(options.root, (*exclude, *options.extend_exclude)).discover([top])
    reports = [Report(missing, "", error="No such file or directory") for missing in found.missing]
    for file in found.files:
        try:
            text = read_source(file)
        except SourceError as exc:
            reports.append(Report(file, "", error=exc.message))
            continue
        unsafe_here = options.unsafe_fixes if unsafe is None else unsafe
        report = _check_text(text.text, file, options, fixing=fix, unsafe=unsafe_here)
        if write and report.changed and report.fixed_source is not None:
            try:
                _write_safely(file, encode_source(report.fixed_source, text.encoding))
            except (OSError, SourceError) as exc:
                message = exc.message if isinstance(exc, SourceError) else exc.strerror
                report = Report(file, text.text, error=f"not written: {message or exc}")
        reports.append(report)
    return reports


def _as_path(path: str | Path | None) -> Path | None:
    return None if path is None else Path(path)


def _options(
    path: str | Path | None,
    select: Sequence[str] | None,
    extend_select: Sequence[str],
    ignore: Sequence[str],
    target_version: str | None,
    use_config: bool,
) -> Options:
    cwd = Path.cwd()
    start = Path(path).absolute() if path is not None else cwd
    config = find_config(start if start.exists() else start.parent) if use_config else None
    options = load_options(config, cwd=cwd)
    options = options.with_selection(
        None if select is None else parse_selectors(select, option="select"),
        parse_selectors(extend_select, option="extend_select"),
        parse_selectors(ignore, option="ignore"),
    )
    if target_version is not None:
        version = parse_version(target_version, option="target_version")
        options = replace(options, target_version=version, target_version_source="from the API")
    return options


def _check_text(
    text: str, path: Path | None, options: Options, *, fixing: bool, unsafe: bool
) -> Report:
    settings = options.settings_for(path if path is not None else options.root / "<string>")
    filename = str(path) if path is not None else "<string>"
    if fixing:
        result = fix_source(text, settings, unsafe=unsafe, filename=filename)
        return Report(
            path,
            text,
            tuple(result.remaining),
            result.syntax_error,
            fixed_source=result.source,
            fixed=dict(result.applied),
        )
    checked = check_source(text, filename=filename, settings=settings)
    return Report(path, text, tuple(checked.diagnostics), checked.syntax_error)
