"""A buffer large enough for the server to check its segments in worker processes.

``wsu server`` checks a large buffer's segments in forked workers on open
(``lint_plugin.segment_pool``), from its linting thread while its reader thread waits on
standard input: the server must answer (a worker touching the reader's stream would hang
it) with the diagnostics one process gives, and keep answering edits.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

from benchmarks import _lsp_driver
from benchmarks._lsp_driver import Driver
from benchmarks.large_files import generate
from lint_plugin import segment_pool
from lint_plugin.engine import check_source

pytestmark = pytest.mark.skipif(
    (os.cpu_count() or 1) < 2 or not segment_pool._can_fork(2),
    reason="the server checks ahead in workers only with two CPUs and fork",
)


def published(driver: Driver) -> Counter[tuple[str, int]]:
    return Counter((d["code"], d["range"]["start"]["line"]) for d in driver.published)


def found(text: str) -> Counter[tuple[str, int]]:
    return Counter((d.code, d.start.line - 1) for d in check_source(text).diagnostics)


def test_a_large_buffer_is_checked_in_workers_and_edited(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_lsp_driver, "TIMEOUT", 60.0)  # a hung server fails in a minute
    text = generate(segment_pool.PARALLEL_FROM * 3 // 2)
    driver = Driver()
    try:
        driver.open(text)
        assert published(driver) == found(text)
        assert len(driver.published) > 3_000
        assert driver.cpu() > 0
        driver.edit_last_line()
        assert published(driver) == found(driver.text)
    finally:
        driver.close()
