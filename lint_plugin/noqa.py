"""``# noqa`` comments, as flake8 reads them but without its blanket pitfall.

flake8 treats ``# noqa:WSU1O1`` (a malformed code list) as a blanket ``# noqa``
that silences everything on the line. Here a malformed list silences nothing and
is reported as a warning instead.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

_NOQA_RE = re.compile(r"#\s*noqa(?::(?P<codes>[^#]*))?", re.IGNORECASE)
_CODE_RE = re.compile(r"^[A-Z]+[0-9]+$")
_SPLIT_RE = re.compile(r"[,\s]+")


@dataclass(frozen=True)
class NoqaDirective:
    line: int
    column: int
    codes: tuple[str, ...] | None
    """``None`` for a blanket ``# noqa``."""
    end_column: int

    def suppresses(self, code: str) -> bool:
        return self.codes is None or any(code.startswith(c) for c in self.codes)


@dataclass(frozen=True)
class NoqaWarning:
    line: int
    column: int
    message: str


def parse_noqa(source: str) -> tuple[dict[int, NoqaDirective], list[NoqaWarning]]:
    """Map line -> directive, from comment tokens only (not strings)."""
    directives: dict[int, NoqaDirective] = {}
    warnings: list[NoqaWarning] = []
    if "noqa" not in source.lower():
        return directives, warnings
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return directives, warnings
    for tok in tokens:
        if tok.type != tokenize.COMMENT:
            continue
        match = _NOQA_RE.search(tok.string)
        if match is None:
            continue
        line, col = tok.start
        col += match.start()
        end_col = tok.start[1] + match.end()
        raw = match.group("codes")
        if raw is None:
            directives[line] = NoqaDirective(line, col, None, end_col)
            continue
        parts = [p for p in _SPLIT_RE.split(raw.strip()) if p]
        bad = [p for p in parts if not _CODE_RE.match(p)]
        if not parts or bad:
            warnings.append(
                NoqaWarning(
                    line,
                    col,
                    f"malformed noqa directive {tok.string[match.start() :].strip()!r}: "
                    "expected '# noqa: CODE[, CODE...]'; it suppresses nothing",
                )
            )
            continue
        directives[line] = NoqaDirective(line, col, tuple(p.upper() for p in parts), end_col)
    return directives, warnings
