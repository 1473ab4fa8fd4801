"""``# noqa`` comments, as flake8 reads them but without its blanket pitfall.

flake8 treats ``# noqa:WSU1O1`` (a malformed code list) as a blanket ``# noqa``
that silences everything on the line. Here a malformed list silences nothing and
is reported as a warning instead.
"""

from __future__ import annotations

import bisect
import io
import re
import sys
import tokenize
from dataclasses import dataclass

_NOQA_RE = re.compile(r"#\s*noqa(?::(?P<codes>[^#]*))?", re.IGNORECASE)
_CODE_RE = re.compile(r"^[A-Z]+[0-9]+$")
_SPLIT_RE = re.compile(r"[,\s]+")
# Comments, string literals and backslash continuations as tokenize reads them (a line
# ends at "\n" only, as its readline splits): in source that compiles, a "#" outside a
# string starts a comment. Triple quotes are tried before single ones.
_SCAN_RE = re.compile(
    r"(?P<comment>#[^\r\n]*)"
    r"|'''[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*'''"
    r'|"""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*"""'
    r"|'[^\n'\\]*(?:\\(?:\r\n|[\s\S])[^\n'\\]*)*'"
    r'|"[^\n"\\]*(?:\\(?:\r\n|[\s\S])[^\n"\\]*)*"'
    r"|(?P<continued>\\\r?\n)"
)
# From Python 3.12 an f-string may nest quotes of its own kind, which the scan would
# misread: tokenize reads those.
_SCAN_EXACT = sys.version_info < (3, 12)


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


def _scanned_comments(source: str) -> tuple[list[tuple[int, int, str]], dict[int, int]]:
    """The noqa comments (line, column, text) and :func:`comment_lines` of source that
    compiles, from one regular-expression pass (tokenize costs ~20 times as much)."""
    starts = [0]
    find = source.find
    at = find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = find("\n", at + 1)
    comments: list[tuple[int, int, str]] = []
    unended: set[int] = set()
    for match in _SCAN_RE.finditer(source):
        text = match.group()
        if match.lastgroup == "comment":
            if "noqa" in text.lower():
                line = bisect.bisect_right(starts, match.start())
                comments.append((line, match.start() - starts[line - 1], text))
        elif match.lastgroup == "continued" or "\n" in text:
            first = bisect.bisect_right(starts, match.start())
            unended.update(range(first, first + text.count("\n")))
    # Each line that cannot end with a comment is covered by the next one that can.
    covering: dict[int, int] = {}
    target = 0
    for line in sorted(unended, reverse=True):
        if line + 1 not in covering:
            target = line + 1
        covering[line] = target
    return comments, covering


def _tokenized_comments(source: str) -> tuple[list[tuple[int, int, str]], dict[int, int]] | None:
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    comments = [(*token.start, token.string) for token in tokens if token.type == tokenize.COMMENT]
    return comments, comment_lines(tokens)


def parse_noqa(
    source: str, *, compiles: bool = False
) -> tuple[dict[int, NoqaDirective], list[NoqaWarning]]:
    """Map line -> the directive that applies to it, from comments only (not strings).

    A line that cannot end with a comment maps to the directive of the line that stands for
    it (:func:`comment_lines`); ``NoqaDirective.line`` is where the directive is written.
    ``compiles``: the source is known to parse, so a scan finds its comments exactly.
    """
    directives: dict[int, NoqaDirective] = {}
    warnings: list[NoqaWarning] = []
    if "noqa" not in source.lower():
        return directives, warnings
    scanned = _scanned_comments(source) if compiles and _SCAN_EXACT else _tokenized_comments(source)
    if scanned is None:
        return directives, warnings
    comments, covering = scanned
    for line, start, text in comments:
        match = _NOQA_RE.search(text)
        if match is None:
            continue
        col = start + match.start()
        end_col = start + match.end()
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
                    f"malformed noqa directive {text[match.start() :].strip()!r}: "
                    "expected '# noqa: CODE[, CODE...]'; it suppresses nothing",
                )
            )
            continue
        directives[line] = NoqaDirective(line, col, tuple(p.upper() for p in parts), end_col)
    if directives:
        for line, target in covering.items():
            if target in directives:
                directives[line] = directives[target]
    return directives, warnings
