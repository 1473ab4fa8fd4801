"""Compiling or parsing a long text a group of top-level statements at a time.

One compile or parse of a whole long text holds its tree: ~200 MB for a 3 MB module, and
a parse that fails holds more (CPython parses again to explain the error): 876 MB for a
2 MB module with an error on its last line, 4.3 GB at 10 MB. Here the text's top-level
statements (``segment_plan.statements``) are taken ``PARSE_GROUP`` characters at a time,
each group after the leading docstring and future imports (they change how the rest
compiles), and each group answers for its part of the text; a text the groups may read
otherwise than the whole is taken whole (``_grouped``).

``compiles`` answers whether the text compiles (``--fix`` checks each pass's result);
``first_syntax_error`` finds the error ``ast.parse`` raises on the whole text (the check
of a large module that does not parse). ``tests/lint/test_parse_groups.py`` compares
both with the whole text's answer on broken variants of real files.
"""

from __future__ import annotations

import ast
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from lint_plugin.docstrings import is_docstring
from lint_plugin.segment_plan import Chunk, parsed_matching, statements

#: About how many characters of top-level statements one compile of a long text holds
#: (above ``segments.THRESHOLD``; a 3 MB module's whole compile took 200 MB).
PARSE_GROUP = 200_000
_LONE_CR = re.compile(r"\r(?!\n)")
_DECLARATION = re.compile(r"\b(?:global|nonlocal)\b")
# From Python 3.12 an f-string may nest its own quotes, which the statement scanner can
# cut wrong (it reads strings as a regular expression does).
_NESTED_QUOTES = sys.version_info >= (3, 12)


def compiles(text: str, filename: str) -> bool:
    """Whether ``text`` compiles; a long one a group of top-level statements at a time."""
    from lint_plugin.segments import THRESHOLD  # not on the command's start-up path

    groups = _groups(text) if len(text) > THRESHOLD else None
    if groups is None:
        return _compiles(text, filename)
    if all(_compiles(group, filename) for group in groups):
        return True
    # From 3.12 a group cut wrong may fail where the whole compiles: the whole decides.
    return _NESTED_QUOTES and _compiles(text, filename)


def _compiles(text: str, filename: str) -> bool:
    # compile(), not ast.parse(): some errors (a repeated keyword argument) are only
    # raised by the compiler.
    try:
        compile(text, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


@dataclass
class _Grouped:
    text: str
    """With ``\\r\\n`` read as ``\\n``, as ``compile()`` reads it."""
    lead: str
    """The leading docstring and future imports, before every group."""
    chunks: list[Chunk]
    """The statements after the lead."""
    groups: list[tuple[int, int]]
    """Each group's first chunk and the chunk after its last."""

    def joined(self, first: int, stop: int, *, blank: int = 0) -> str:
        """The lead, ``blank`` empty lines and chunks ``first`` to ``stop`` (excluded)."""
        start, end = self.chunks[first].start, self.chunks[stop - 1].end
        return self.lead + "\n" * blank + self.text[start:end]


def _groups(text: str) -> Iterator[str] | None:
    grouped = _grouped(text)
    if grouped is None:
        return None
    return (grouped.joined(first, stop) for first, stop in grouped.groups)


def _grouped(text: str) -> _Grouped | None:
    """``text``'s top-level statements in groups of about ``PARSE_GROUP`` characters,
    each after the leading docstring and future imports (they change how the rest
    compiles); ``None`` when every group could compile and the whole not (or when the
    scanner reads lines otherwise than the tokenizer: a form feed, a lone ``\\r``, a null,
    a backslash at column 0).

    Groups cut where the scanner puts a statement's start (column 0, outside brackets and
    strings, not after a backslash or before ``else``) that each compile make a text that
    compiles but for the checks spanning module-level statements: future imports (only
    at the top) and ``global`` / ``nonlocal`` declarations (after no use of the name).
    """
    if "\0" in text or "\f" in text or ("\r" in text and _LONE_CR.search(text)):
        return None
    # compile() reads "\r\n" as "\n", in strings too (after a backslash continuing one):
    # the scanner reads it so only here.
    text = text.replace("\r\n", "\n")
    chunks = statements(text)
    if any(text.startswith("\\", chunk.start) for chunk in chunks):
        return None  # a line continued from column 0 is indented as the next line
    lead = _lead(text, chunks)
    if lead is None or _declares_in_module(text, chunks):
        return None
    body = [chunk for chunk in chunks if chunk.start >= lead]
    if not body:
        return None  # nothing but the lead: compiled whole
    return _Grouped(text, text[:lead], body, _spans(body))


def _lead(text: str, chunks: list[Chunk]) -> int | None:
    """Where the leading docstring and future imports end (0 without a future import);
    ``None`` if a future import may be elsewhere."""
    if _future_spelled_otherwise(text):
        return None
    last = text.rfind("__future__")
    if last < 0:
        return 0
    end = next(chunk.end for chunk in chunks if chunk.end > last)
    if end > PARSE_GROUP:
        return None  # repeated in every group
    try:
        body = ast.parse(text[:end]).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if body and is_docstring(body[0]):
        body = body[1:]
    futures = all(
        isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__" and not stmt.level
        for stmt in body
    )
    return end if futures else None


def _future_spelled_otherwise(text: str) -> bool:
    """Whether ``__future__`` may be written in other letters (fullwidth, say): the
    tokenizer reads identifiers NFKC-normalised."""
    if text.isascii():
        return False
    return unicodedata.normalize("NFKC", text).count("__future__") != text.count("__future__")


def _declares_in_module(text: str, chunks: list[Chunk]) -> bool:
    """Whether a ``global`` / ``nonlocal`` may be declared in the module's scope (``x = 1``
    then ``global x`` fails in one compile of both, not in two): a statement mentioning
    either is parsed alone, which reads it as in the whole text when the groups compile
    (not so if the scanner may cut wrong: every mention counts)."""
    if _NESTED_QUOTES:
        return _DECLARATION.search(text) is not None
    return any(
        tree is None
        or any(isinstance(node, (ast.Global, ast.Nonlocal)) for node in _module_scope(tree))
        for tree in parsed_matching(text, chunks, _DECLARATION)
    )


def _module_scope(tree: ast.Module) -> Iterator[ast.AST]:
    """The nodes of ``tree`` in the module's scope (not in a function or class); a stack,
    not recursion (an expression may nest thousands deep)."""
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            todo.extend(ast.iter_child_nodes(node))


def _spans(chunks: list[Chunk]) -> list[tuple[int, int]]:
    """Consecutive ``chunks`` in groups of about ``PARSE_GROUP`` characters (as indexes:
    the first, the one after the last)."""
    groups = []
    first = 0
    for index, chunk in enumerate(chunks):
        if chunk.end - chunks[first].start >= PARSE_GROUP:
            groups.append((first, index + 1))
            first = index + 1
    if first < len(chunks):
        groups.append((first, len(chunks)))
    return groups


def first_syntax_error(text: str, filename: str) -> SyntaxError | None:
    """The ``SyntaxError`` that ``ast.parse(text)`` raises, without parsing it whole;
    ``None`` when the groups parse, or cannot stand for the whole text: then only the
    whole can tell.

    Each group is parsed on its own lines (the text before it as blank lines) until one
    fails; then the text from the statement before that group to the end. That parse
    stops at the same error as the whole one, read with what follows it, and like the
    whole one reads on to the end for a string or bracket left open, which CPython reports
    instead; what it holds is the text before the error, not the whole text's tree. A
    group that fails only because the groups cut a statement in two parses there."""
    grouped = _grouped(text) if len(text) > PARSE_GROUP else None
    if grouped is None:
        return None
    lines = [grouped.text.count("\n", 0, grouped.chunks[0].start)]
    for chunk in grouped.chunks:
        lines.append(lines[-1] + chunk.lines)

    try:
        for first, stop in grouped.groups:
            blank = lines[first] - lines[0]  # the lines between the lead and the group
            if _error_of(grouped.joined(first, stop, blank=blank), filename) is None:
                continue
            # From the statement before, in the text as written (the groups read "\r\n"
            # as "\n": at its end, Python 3.9 places an error otherwise).
            before = max(first - 1, 0)
            lead_end = _line_start(text, lines[0] + 1)
            start = _line_start(text, lines[before] + 1, lead_end, lines[0] + 1)
            blank = lines[before] - lines[0]
            return _error_of(text[:lead_end] + "\n" * blank + text[start:], filename)
    except (ValueError, RecursionError, MemoryError):
        pass  # not a syntax error: the whole parse says what
    return None


def _error_of(text: str, filename: str) -> SyntaxError | None:
    try:
        ast.parse(text, filename=filename)
    except SyntaxError as exc:
        return exc
    return None


def _line_start(text: str, line: int, at: int = 0, at_line: int = 1) -> int:
    """Where the 1-based ``line`` of ``text`` starts (its lines end at each ``\\n``),
    reading on from ``at``, the start of line ``at_line``."""
    for _ in range(line - at_line):
        at = text.index("\n", at) + 1
    return at
