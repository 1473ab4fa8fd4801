"""``benchmarks.large_files`` reports the command line's own peak memory."""

from __future__ import annotations

import resource
import sys
from pathlib import Path

import pytest

from benchmarks.large_files import generate, run_cli


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
