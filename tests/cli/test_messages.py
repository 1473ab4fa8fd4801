"""Messages for input the linter cannot handle say why."""

from __future__ import annotations

from pathlib import Path

from lint_plugin.engine import check_source
from tests.cli.helpers import write, wsu


def test_a_100k_deep_expression_says_why_it_cannot_be_parsed(tmp_path: Path) -> None:
    deep = "import websockets\nx = " + "-" * 100_000 + "1\n"
    problem = check_source(deep).syntax_error
    assert problem is not None
    assert problem.message == "cannot parse: too deeply nested for Python's parser"
    write(tmp_path, {"deep.py": deep})
    result = wsu("check", "--output-format", "concise", cwd=tmp_path)
    assert result.code == 1
    assert result.stdout.splitlines()[0] == (
        "deep.py:1:1: invalid-syntax: cannot parse: too deeply nested for Python's parser"
    )


def test_a_nul_byte_says_so() -> None:
    problem = check_source("import websockets\nx = 1\0\n").syntax_error
    assert problem is not None and "null bytes" in problem.message
