"""A large module that does not parse: its syntax error is the whole parse's, found
without one (a failing parse of the whole module holds ~440 bytes a character)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from benchmarks.large_files import generate, run_cli
from lint_plugin import parse_groups, segments
from lint_plugin.engine import SyntaxProblem, _syntax_problem, check_source

BREAKS = {
    "a colon missing": ("async def handler_", "async def handler_broken(x)\n    pass\n"),
    "a bracket never closed": ("CLIENTS = set()", "OPEN = (1,\n"),
    "a string never closed": ("async def client_", 'TEXT = """\n'),
    "a dedent to no level": ("async def client_", "  x = 1\n"),
}


def whole_error(source: str) -> SyntaxProblem:
    try:
        ast.parse(source)
    except SyntaxError as exc:
        return _syntax_problem(exc)
    raise AssertionError("parses")


@pytest.mark.parametrize("where", [0.1, 0.5, 0.99])
@pytest.mark.parametrize("kind", list(BREAKS))
def test_the_error_of_the_whole_parse(
    monkeypatch: pytest.MonkeyPatch, kind: str, where: float
) -> None:
    monkeypatch.setattr(segments, "THRESHOLD", 0)
    monkeypatch.setattr(segments, "BUDGET", 2_000)
    monkeypatch.setattr(parse_groups, "PARSE_GROUP", 2_000)
    before, broken = BREAKS[kind]
    source = generate(40_000)
    at = source.find(before, int(len(source) * where))
    if at < 0:
        at = len(source)  # nothing of the kind after that point: the end
    source = source[:at] + broken + source[at:]
    calls = []
    parse = ast.parse

    def parsed(text: str, *args: object, **kwargs: object) -> ast.AST:
        calls.append(len(text))
        return parse(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ast, "parse", parsed)
    found = check_source(source, filename="module.py").syntax_error
    assert max(calls) < len(source) or where < 0.2  # never the whole text, the start aside
    monkeypatch.setattr(ast, "parse", parse)
    assert found == whole_error(source)


def test_a_2_mb_module_broken_on_its_last_line(tmp_path: Path) -> None:
    """``wsu check`` peaked at 928 MB here when it parsed the whole module for its error."""
    path = tmp_path / "large.py"
    path.write_text(generate(2_000_000) + "def broken(:\n    pass\n")
    _, _, rss, _, _ = run_cli(path)
    assert rss < 250, rss
