"""Incremental text sync: a ``didChange`` range applied to the buffer.

Lines break where LSP (and Python) break them: ``\\r\\n``, ``\\r`` and ``\\n``; pygls's own
incremental sync splits with ``str.splitlines``, which also breaks on ``\\x0c``, ``\\x1c``
to ``\\x1e``, ``\\x85``, ``\\u2028`` and ``\\u2029`` (all valid inside Python strings and
comments), and would put the edit on the wrong line after one of them. Columns are in the
negotiated position encoding.
"""

from __future__ import annotations

from itertools import islice

from lsprotocol import types

from lint_plugin.lsp.convert import LINE_BREAK_RE, SCAN_PIECE, Encoding, column_of


def _line_start(text: str, line: int) -> int | None:
    """The offset where the 0-based ``line`` starts; ``None`` past the last line."""
    if line <= 0:
        return 0
    if "\r" in text:
        # One match at a time (rare buffers): a split would copy the text before the line.
        found = next(islice(LINE_BREAK_RE.finditer(text), line - 1, None), None)
        return found.end() if found is not None else None
    # Breaks counted in C a piece at a time, then found in the piece that holds the
    # line-th: neither copies the text (a split before the line of an edit at the end of a
    # 10 MB buffer made 24 MB of lines).
    at, left = 0, line
    while at < len(text):
        end = min(at + SCAN_PIECE, len(text))
        here = text.count("\n", at, end)
        if here >= left:
            for _ in range(left):
                at = text.index("\n", at) + 1
            return at
        left -= here
        at = end
    return None


def offset_at(text: str, position: types.Position, encoding: Encoding) -> int:
    """The offset of an LSP position; past the end of its line is the end of the line, past
    the last line is the end of the text (as LSP says)."""
    start = _line_start(text, position.line)
    if start is None:
        return len(text)
    found = LINE_BREAK_RE.search(text, start)
    end = found.start() if found is not None else len(text)
    return start + column_of(text[start:end], position.character, encoding)


def apply_change(
    text: str, change: types.TextDocumentContentChangeEvent, encoding: Encoding
) -> str:
    """The text after one change: a range replaced, or the whole text (no range)."""
    if not isinstance(change, types.TextDocumentContentChangePartial):
        return change.text
    start = offset_at(text, change.range.start, encoding)
    # A range that ends before it starts (a client bug) inserts at its start.
    end = max(start, offset_at(text, change.range.end, encoding))
    # One join: ``a + b + c`` holds a fourth copy of a large buffer for a moment.
    return "".join((text[:start], change.text, text[end:]))
