"""Names a fix left imported for nothing: ``from websockets.http import Headers`` kept (and
moved to ``websockets.datastructures``) for an annotation WSU302's fix dropped. pyflakes
(F401) would fail the project's CI on them; ``fix_source`` drops them once it is done.

Only ``from <target module> import name`` statements of the module level are touched, and
only names the original text used outside its imports and the fixed text mentions nowhere
else (a word in a string, a comment or ``__all__`` counts as a use).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable


def orphaned_imports_dropped(original: str, fixed: str, modules: Iterable[str]) -> str:
    """``fixed`` without the imported names its fixes orphaned (see the module)."""
    try:
        fixed_tree = ast.parse(fixed)
        original_tree = ast.parse(original)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return fixed
    roots = frozenset(modules)
    fixed_lines = fixed.splitlines(keepends=True)
    fixed_rest = _without_imports(fixed_lines, fixed_tree)
    original_rest = _without_imports(original.splitlines(keepends=True), original_tree)
    replacements: list[tuple[int, int, str]] = []
    for statement in fixed_tree.body:
        if not (
            isinstance(statement, ast.ImportFrom)
            and statement.level == 0
            and (statement.module or "").partition(".")[0] in roots
            and statement.end_lineno is not None
        ):
            continue
        kept = [
            alias
            for alias in statement.names
            if alias.name == "*"
            or not _mentioned(alias.asname or alias.name, original_rest)
            or _mentioned(alias.asname or alias.name, fixed_rest)
        ]
        if len(kept) == len(statement.names):
            continue
        first, last = statement.lineno, statement.end_lineno
        head = fixed_lines[first - 1][: statement.col_offset]
        tail = fixed_lines[last - 1][statement.end_col_offset or 0 :]
        if head.strip() or tail.strip().startswith(";"):
            continue  # another statement shares its lines
        if not kept:
            replacements.append((first, last, ""))
        elif first == last:
            names = ", ".join(
                a.name if a.asname is None else f"{a.name} as {a.asname}" for a in kept
            )
            replacements.append(
                (first, last, f"{head}from {statement.module} import {names}{tail}")
            )
    for first, last, text in reversed(replacements):
        fixed_lines[first - 1 : last] = [text] if text else []
    return "".join(fixed_lines)


def _without_imports(lines: list[str], tree: ast.Module) -> str:
    """The text with the lines of every import statement left out."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            skipped.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return "".join(line for number, line in enumerate(lines, 1) if number not in skipped)


def _mentioned(name: str, text: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}\b", text) is not None
