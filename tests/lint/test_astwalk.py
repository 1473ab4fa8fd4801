"""``lint_plugin.astwalk`` walks what ``ast.walk`` walks, minus the shared singletons."""

from __future__ import annotations

import ast
import sys
import sysconfig
from pathlib import Path

import pytest

from lint_plugin import astwalk

SINGLETONS = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)

# Every kind of field: gaps in ``Dict.keys`` / ``kw_defaults``, identifiers, constants,
# operators, patterns, f-strings, comprehensions, decorators, annotations.
SAMPLE = """
import a.b as c
from .d import e, f as g
@deco(x, *y, **z)
async def h(p: int, /, q=1, *r, s, t=2, **u) -> "T":
    global v
    w = {**x, "k": [i async for i in y if i], 1: (lambda m, *, n=None: m)}
    x += -w[1:2, ::3] @ 4
    if (y := not a and b or c) < d <= e is not None:
        del w.z
    try:
        raise E from F
    except (G, H) as exc:
        yield f"{exc!r:>{width}}"
    with open(p) as (i, *j), k:
        assert i, j
    return await q
class K(L, metaclass=M):
    attr: int = 0
"""
# Patterns parse from Python 3.10 on; the linter still runs (and is tested) on 3.9.
MATCH_SAMPLE = """
match w:
    case {"a": 1, **rest} | [_, *others] | Point(x=0) as hit if hit:
        pass
"""
SAMPLES = [SAMPLE, MATCH_SAMPLE] if sys.version_info >= (3, 10) else [SAMPLE]


def sources() -> list[str]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    names = ["typing.py", "argparse.py", "dataclasses.py", "asyncio/base_events.py"]
    return [*SAMPLES, *((stdlib / name).read_text(encoding="utf-8") for name in names)]


def expected(tree: ast.AST) -> list[ast.AST]:
    return [node for node in ast.walk(tree) if not isinstance(node, SINGLETONS)]


@pytest.mark.parametrize("source", sources())
def test_walk_matches_ast_walk(source: str) -> None:
    tree = ast.parse(source)
    want = expected(tree)
    got = astwalk.walk(tree)
    assert len(got) == len(want)
    assert all(a is b for a, b in zip(got, want))
    for node in got:
        children = [c for c in ast.iter_child_nodes(node) if not isinstance(c, SINGLETONS)]
        assert astwalk.child_nodes(node) == children


@pytest.mark.parametrize("sample", SAMPLES)
def test_unknown_node_classes_have_every_field_tested(
    monkeypatch: pytest.MonkeyPatch, sample: str
) -> None:
    monkeypatch.setattr(astwalk, "NODE_FIELDS", {})
    tree = ast.parse(sample)
    got = astwalk.walk(tree)
    assert all(a is b for a, b in zip(got, expected(tree)))
    assert len(got) == len(expected(tree))


@pytest.mark.parametrize("source", sources())
def test_block_children_are_the_children_holding_statements(source: str) -> None:
    blocks = (
        ast.stmt,
        ast.excepthandler,
        *([ast.match_case] if sys.version_info >= (3, 10) else []),
    )
    for node in astwalk.walk(ast.parse(source)):
        children = [c for c in ast.iter_child_nodes(node) if isinstance(c, blocks)]
        assert astwalk.block_children(node) == children
        # What is left out holds no statement.
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, blocks):
                assert not any(isinstance(n, blocks) for n in ast.walk(child))
