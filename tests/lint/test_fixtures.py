"""Every fixture and corpus file yields exactly the diagnostics its comments announce."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.lint.expectations import actual, describe, expected

HERE = Path(__file__).parent
FILES = sorted([*HERE.glob("fixtures/*.py"), *HERE.glob("corpus/*.py")])


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_inline_expectations(path: Path) -> None:
    source = path.read_text("utf-8")
    ast.parse(source)
    want = expected(source)
    got = actual(source, path)
    assert got == want, "\n" + describe(path, want, got)


def test_corpus_is_large_enough() -> None:
    corpus = sorted(HERE.glob("corpus/*.py"))
    assert len(corpus) >= 20
    total = sum(sum(expected(p.read_text("utf-8")).values()) for p in corpus)
    assert total >= 100


def test_fixtures_have_more_negative_than_positive_lines() -> None:
    """At least as many lines that must stay clean as lines that must be flagged."""
    flagged = clean = 0
    for path in HERE.glob("fixtures/*.py"):
        source = path.read_text("utf-8")
        marked = {line for line, _ in expected(source)}
        tree = ast.parse(source)
        statement_lines = {
            node.lineno for node in ast.walk(tree) if isinstance(node, (ast.stmt, ast.expr))
        }
        flagged += len(marked)
        clean += len(statement_lines - marked)
    assert clean >= flagged
