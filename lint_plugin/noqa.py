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


def comment_lines(tokens: list[tokenize.TokenInfo]) -> dict[int, int]:
    """For each line that cannot end with a comment, the line whose comment stands for it.

    A line that ends inside a multi-line string (or f-string) cannot hold a comment, nor can
    one continued with a backslash: as in ruff, their ``noqa`` goes at the end of the next
    line that can, where the string or the continued statement ends.
    """
    inside: set[int] = set()
    ended: set[int] = set()
    for token in tokens:
        if token.end[0] > token.start[0]:
            inside.update(range(token.start[0], token.end[0]))
        if token.type in (tokenize.NEWLINE, tokenize.NL):
            ended.add(token.start[0])
    last = max((token.end[0] for token in tokens), default=0)
    covering: dict[int, int] = {}
    target = None
    for line in range(last, 0, -1):
        if line in ended and line not in inside:
            target = line
        elif target is not None:
            covering[line] = target
    return covering


def parse_noqa(source: str) -> tuple[dict[int, NoqaDirective], list[NoqaWarning]]:
    """Map line -> the directive that applies to it, from comment tokens only (not strings).

    A line that cannot end with a comment maps to the directive of the line that stands for
    it (:func:`comment_lines`); ``NoqaDirective.line`` is where the directive is written.
    """
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
    if directives:
        for line, target in comment_lines(tokens).items():
            if target in directives:
                directives[line] = directives[target]
    return directives, warnings
