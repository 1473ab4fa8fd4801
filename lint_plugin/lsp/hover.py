"""Hovering a code in ``# noqa: WSU201`` explains the rule it silences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lint_plugin.lsp.convert import TextLines
from lint_plugin.model import Position
from lint_plugin.noqa import parse_noqa
from lint_plugin.rules import ALL_RULES, RuleSpec

_CODE_RE = re.compile(r"[A-Za-z]+[0-9]+")


@dataclass(frozen=True)
class NoqaCode:
    code: str
    start: Position
    end: Position


def noqa_code_at(lines: TextLines, position: Position) -> NoqaCode | None:
    """The code of a ``# noqa`` directive under ``position``, if any."""
    directives, _ = parse_noqa(lines.text)
    directive = directives.get(position.line)
    if directive is None or directive.codes is None or directive.line != position.line:
        return None
    line = lines.line(position.line - 1)
    # The codes sit after "noqa:", within the directive's match.
    colon = line.find(":", directive.column, directive.end_column)
    for match in _CODE_RE.finditer(line, colon + 1, directive.end_column):
        if match.start() <= position.column <= match.end():
            start, end = (
                Position(position.line, match.start()),
                Position(position.line, match.end()),
            )
            return NoqaCode(match.group().upper(), start, end)
    return None


def rules_for(code: str) -> list[RuleSpec]:
    """The rules a code selects: one for a full code, several for a prefix (``WSU2``)."""
    return [rule.spec for rule in ALL_RULES if rule.spec.code.startswith(code)]


def hover_markdown(code: str) -> str | None:
    specs = rules_for(code)
    if not specs:
        return None
    if len(specs) == 1 and specs[0].code == code:
        spec = specs[0]
        return f"**{spec.code}** `{spec.name}`\n\n{spec.summary}\n\n[Documentation]({spec.url})"
    listing = "\n".join(f"- [{s.code}]({s.url}) `{s.name}`: {s.summary}" for s in specs)
    return f"**{code}** selects {len(specs)} rules:\n\n{listing}"
