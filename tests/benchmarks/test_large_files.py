"""``benchmarks.large_files`` reports the command line's own peak memory."""

from __future__ import annotations

import ast
import resource
import sys
from pathlib import Path

import pytest

from benchmarks.large_files import SHAPES, generate, run_cli


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_the_cli_peak_is_not_the_benchmarks_own(tmp_path: Path) -> None:
    """The benchmark forks to start ``wsu check``: ``ru_maxrss`` would keep the
    benchmark's peak from before the exec, whatever the command line used."""
    ballast = bytearray(200 * 1024 * 1024)  # touched: resident in this process
    ballast[::4096] = b"x" * len(ballast[::4096])
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 > 200
    path = tmp_path / "small.py"
    path.write_text(generate(20_000))
    _, _, rss, _, count = run_cli(path)
    del ballast
    assert count > 0
    assert 10 < rss < 150


def test_each_shape_is_what_it_says() -> None:
    source = generate(30_000)
    shapes = {name: change(source) for name, change in SHAPES.items()}
    assert shapes["generated"] == source
    with pytest.raises(SyntaxError):
        ast.parse(shapes["broken-at-end"])
    starred = ast.parse(shapes["star-import"]).body[0]
    assert isinstance(starred, ast.ImportFrom) and starred.names[0].name == "*"
    top = ast.parse(shapes["imports-in-functions"]).body
    assert not any(
        isinstance(stmt, (ast.Import, ast.ImportFrom)) and "websockets" in ast.unparse(stmt)
        for stmt in top
    )
    assert shapes["imports-in-functions"].count("import websockets") == source.count(
        "import websockets"
    )
