"""Inline expectations: ``# error: WSU201, WSU203`` at the end of a line, and an optional
``# wsu: target-version=13.1`` directive on the first line."""

from __future__ import annotations

import io
import re
import tokenize
from collections import Counter
from pathlib import Path

from lint_plugin.engine import check_source
from lint_plugin.settings import Settings, parse_version

ERROR_RE = re.compile(r"#\s*error:\s*(?P<codes>WSU\d+(?:\s*,\s*WSU\d+)*)")
TARGET_RE = re.compile(r"#\s*wsu:.*\btarget-version=(?P<version>\S+)")
EXTEND_RE = re.compile(r"#\s*wsu:.*\bextend-select=(?P<codes>\S+)")


def settings_for(source: str, **extra: object) -> Settings:
    """Settings from the first line's ``# wsu: target-version=13.1 extend-select=WSU5``."""
    first = source.split("\n", 1)[0]
    if (match := TARGET_RE.search(first)) is not None:
        extra["target_version"] = parse_version(match.group("version"))
    if (match := EXTEND_RE.search(first)) is not None:
        extra["extend_select"] = tuple(match.group("codes").split(","))
    return Settings(**extra)  # type: ignore[arg-type]


def expected(source: str) -> Counter[tuple[int, str]]:
    """(line, code) pairs from ``# error:`` comments (comment tokens only)."""
    found: Counter[tuple[int, str]] = Counter()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.COMMENT:
            continue
        match = ERROR_RE.search(tok.string)
        if match:
            for code in match.group("codes").split(","):
                found[(tok.start[0], code.strip())] += 1
    return found


def actual(source: str, path: Path) -> Counter[tuple[int, str]]:
    result = check_source(source, filename=str(path), settings=settings_for(source))
    assert result.syntax_error is None, result.syntax_error
    return Counter((d.start.line, d.code) for d in result.diagnostics)


def describe(path: Path, want: Counter[tuple[int, str]], got: Counter[tuple[int, str]]) -> str:
    lines = path.read_text("utf-8").splitlines()
    out = []
    for (line, code), n in sorted((want - got).items()):
        out.append(f"missing  {path.name}:{line}: {code} x{n}  | {lines[line - 1].strip()}")
    for (line, code), n in sorted((got - want).items()):
        out.append(f"spurious {path.name}:{line}: {code} x{n}  | {lines[line - 1].strip()}")
    return "\n".join(out)
