"""The edit behind "Disable WSUxxx for this line": add a ``# noqa`` or extend the one there."""

from __future__ import annotations

from lint_plugin.model import Edit
from lint_plugin.noqa_placement import NoqaPlacer, Skipped


def noqa_edit(source: str, line: int, code: str) -> Edit | None:
    """The edit that makes ``# noqa`` on ``line`` (1-based) cover ``code``, if one can."""
    edit = NoqaPlacer(source).edit(line, [code])
    return None if isinstance(edit, Skipped) else edit
