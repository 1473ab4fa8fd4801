"""The edit behind "Disable WSUxxx for this line": add a ``# noqa`` or extend the one there."""

from __future__ import annotations

import io
import tokenize

from lint_plugin.fixes import LineIndex
from lint_plugin.model import Edit, Position
from lint_plugin.noqa import parse_noqa


def _can_end_with_comment(source: str, line: int) -> bool:
    """Can a comment go at the end of ``line``?

    Not when the line ends inside a multi-line string (the comment would become text) or
    with a backslash continuation (a syntax error), nor when the text does not tokenize.
    """
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return False
    spanned = any(tok.start[0] <= line < tok.end[0] for tok in tokens)
    ended = any(
        tok.type in (tokenize.NEWLINE, tokenize.NL) and tok.start[0] == line for tok in tokens
    )
    return ended and not spanned


def noqa_edit(source: str, line: int, code: str) -> Edit | None:
    """The edit that makes ``# noqa`` on ``line`` (1-based) cover ``code``, if one can."""
    index = LineIndex(source)
    if not 1 <= line <= len(index.starts):
        return None
    start = index.starts[line - 1]
    end = index.starts[line] if line < len(index.starts) else len(source)
    text = source[start:end].rstrip("\r\n")
    directives, warnings = parse_noqa(source)
    if any(warning.line == line for warning in warnings):
        # A malformed directive: another one after it would not be read either.
        return None
    directive = directives.get(line)
    if directive is not None:
        if directive.codes is None or directive.suppresses(code):
            return None
        # Right after the last code, before any text that follows the list.
        listed = text[directive.column : directive.end_column].rstrip()
        at = Position(line, directive.column + len(listed))
        return Edit.insertion(at, f", {code}")
    if not _can_end_with_comment(source, line):
        return None
    content = text.rstrip()
    return Edit(Position(line, len(content)), Position(line, len(text)), f"  # noqa: {code}")
