"""The cost of checking a module grows linearly with its size.

Counted, not timed: the Python function calls one ``check_source`` makes (a deterministic
figure, whatever the machine's load) on a generated legacy module and on one four times
as large. Linear work gives a ratio a little under 4; a pass per finding over the whole
module (the quadratic cost issue 14 found) gives far more.
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

from benchmarks.large_files import generate
from lint_plugin.engine import check_source


def calls_made(source: str) -> tuple[int, int]:
    """Python calls made while checking ``source``, and the diagnostics found."""
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        result = check_source(source, filename="generated.py")
    finally:
        sys.setprofile(None)
    return count, len(result.diagnostics)


def test_checking_cost_is_linear_in_module_size() -> None:
    check_source(generate(2_000))  # imports and first-use caches out of the way
    small, small_found = calls_made(generate(15_000))
    large, large_found = calls_made(generate(60_000))
    assert small_found > 50
    assert large_found > 3.5 * small_found
    assert large / small < 4.8, f"{small} calls at 1x, {large} at 4x: not linear"
