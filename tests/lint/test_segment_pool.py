"""A large module's segments checked in worker processes give what one process gives.

``lint_plugin.segment_pool`` checks the segments ``segments.decided`` will check in forked
workers and sends their records back pickled. Here every module is segmented (small
thresholds), the pool is used from the first character, and each result is compared with
the check in one process: every diagnostic, its fix edits, applicability and unit, the
noqa handling, the mixed-use counts, a syntax error; for the language server's cache and
for ``wsu check``'s project index too.
"""

from __future__ import annotations

import os
import pickle
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.large_files import generate
from lint_plugin import segment_pool, segments
from lint_plugin.engine import CheckResult, check_source
from lint_plugin.settings import Settings
from tests.lint.test_segments import SETTINGS, comparable, concatenable

pytestmark = pytest.mark.skipif(not segment_pool._can_fork(2), reason="worker processes are forked")


@pytest.fixture
def pooled(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Small segments, the pool for any size; records how many records each plan took
    from the workers."""
    monkeypatch.setattr(segments, "THRESHOLD", 0)
    monkeypatch.setattr(segments, "BUDGET", 2_000)
    monkeypatch.setattr(segment_pool, "PARALLEL_FROM", 0)
    checked_ahead = segment_pool.checked_ahead
    taken: list[int] = []

    def counting(*args: object) -> Iterator[object]:
        taken.append(0)
        for segment, record in checked_ahead(*args):  # type: ignore[arg-type]
            taken[-1] += record is not None
            yield segment, record

    monkeypatch.setattr(segment_pool, "checked_ahead", counting)
    yield taken


def checked(source: str, settings: Settings, jobs: int) -> CheckResult:
    segment_pool.JOBS = jobs
    try:
        return check_source(source, filename="module.py", settings=settings)
    finally:
        segment_pool.JOBS = 1


@pytest.mark.parametrize("settings", SETTINGS, ids=["default", "all-13.0"])
def test_generated_module(pooled: list[int], settings: Settings) -> None:
    source = generate(60_000)
    alone = checked(source, settings, 1)
    assert pooled == [0]  # one process: nothing checked ahead
    pooled.clear()
    assert comparable(checked(source, settings, 2)) == comparable(alone)
    assert pooled and pooled[-1] > 10, pooled


def test_files_of_the_suite(pooled: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    """Modules made of 3 to 6 files of the suite, one after the other."""
    monkeypatch.setattr(segments, "BUDGET", 300)
    sources = concatenable()
    chooser = random.Random(16)
    taken = 0
    for _ in range(6):
        source = "\n".join(chooser.sample(sources, chooser.randint(3, 6)))
        pooled.clear()
        assert comparable(checked(source, Settings(), 2)) == comparable(
            checked(source, Settings(), 1)
        )
        taken += sum(pooled)
    assert taken > 0  # some module was checked ahead in the workers


def test_a_segment_raising_in_a_worker_raises_in_order(pooled: list[int]) -> None:
    """A later segment that does not parse: the records before it were checked ahead, the
    module is checked whole and reports the syntax error, as in one process."""
    source = generate(20_000) + "\nasync def broken(ws):\n    await ws.recv(\n"
    result = checked(source, Settings(), 2)
    assert result.syntax_error is not None
    assert comparable(result) == comparable(checked(source, Settings(), 1))
    assert pooled and pooled[0] > 0


def test_records_keep_their_roles_through_pickling() -> None:
    """``Record`` keys its findings' roles and prelude splits by ``id``: rebuilt after
    the trip, for the same findings."""
    source = generate(20_000)
    layout = segments.plan(source, Settings().modules, budget=4_000)
    merged = segments.Merged(source, layout)
    rules, others = segments.enabled_rules(Settings())
    segment = layout.segments[0]
    record = merged.check(segment, "module.py", Settings(), rules, others, None)
    assert record.roles and record.split
    copy = pickle.loads(pickle.dumps(record))
    every = [*record.selected, *record.other]
    copied = [*copy.selected, *copy.other]
    assert copied == every
    for old, new in zip(every, copied):
        assert (id(old) in record.roles) == (id(new) in copy.roles)
        if id(old) in record.roles:
            assert copy.roles[id(new)].role == record.roles[id(old)].role
            assert copy.roles[id(new)].tokens == record.roles[id(old)].tokens
        assert (id(old) in record.split) == (id(new) in copy.split)


def test_packed_records_share_each_line_int() -> None:
    """What a worker sends back is the record, its positions on one line sharing that
    line's int as the segment's context made them (pickle alone makes one per position)."""
    source = generate(20_000)
    layout = segments.plan(source, Settings().modules, budget=4_000)
    merged = segments.Merged(source, layout)
    rules, others = segments.enabled_rules(Settings())
    record = merged.check(layout.segments[1], "module.py", Settings(), rules, others, None)
    copy = segment_pool.unpacked(segment_pool.packed(record))
    assert copy.selected == record.selected and copy.other == record.other
    lines: dict[int, set[int]] = {}
    for diagnostic in copy.selected:
        for position in (diagnostic.start, diagnostic.end):
            lines.setdefault(position.line, set()).add(id(position.line))
    assert lines and max(lines) > 256  # ints above 256 are not cached by CPython
    assert all(len(ids) == 1 for ids in lines.values())
    plain = pickle.loads(pickle.dumps(record))
    assert any(
        d.start.line == d.end.line and d.start.line is not d.end.line
        for d in plain.selected
        if d.start.line > 256
    )


def test_the_project_index_reads_every_segment(pooled: list[int]) -> None:
    """``wsu check``'s project index: a segment inspected in a worker counts as inspected,
    and the one passing an imported callback stops the check, as in one process."""
    from lint_plugin.cli.project_index import facts_from_text
    from lint_plugin.cli.workers import Mode, Task, run_task

    serving = (
        "\n\nasync def imported():\n    async with websockets.serve(first, 'localhost', 1):\n"
        "        pass\n"
    )
    plain = generate(20_000)
    source = plain.replace("import websockets\n", "import websockets\nfrom h import first\n")
    for text, passes in ((plain, False), (source + serving, True)):
        segment_pool.JOBS = 2
        try:
            outcome = run_task(Task("app.py", text, Settings(), Mode.CHECK, False, module="app"))
        finally:
            segment_pool.JOBS = 1
        assert outcome.error is None, outcome.error
        if passes:
            assert outcome.facts == facts_from_text(text, Settings(), "app")
        else:
            assert outcome.facts is None
            assert outcome.check is not None
            assert comparable(outcome.check) == comparable(checked(text, Settings(), 1))
    assert sum(pooled) > 0


def test_the_server_cache_checks_ahead_what_it_has_not_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lint_plugin import segment_cache
    from lint_plugin.segment_cache import SegmentCache

    monkeypatch.setattr(segment_cache, "THRESHOLD", 0)
    monkeypatch.setattr(segment_pool, "PARALLEL_FROM", 0)
    monkeypatch.setattr(segment_pool, "JOBS", 2)
    cache = SegmentCache()
    source = generate(60_000)
    for text in (source, source.replace("hello 3", "hello, 3")):
        result = check_source(text, filename="m.py", segmented=cache.analyse)
        assert cache.checked > 0
        segment_pool.JOBS = 1
        assert comparable(result) == comparable(check_source(text, filename="m.py"))
        segment_pool.JOBS = 2
    assert cache.checked == 1  # the edit: one segment checked again


def test_wsu_check_with_one_job_and_with_two(tmp_path: Path) -> None:
    """The command line on a module above the threshold, ``-j 1`` and ``-j 2``."""
    path = tmp_path / "large.py"
    path.write_text(generate(segments.THRESHOLD + segment_pool.PARALLEL_FROM))
    outputs = [
        subprocess.run(
            [sys.executable, "-m", "lint_plugin", "check", "--no-cache", "-j", jobs, str(path)],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
        )
        for jobs in ("1", "2")
    ]
    assert outputs[0].returncode == outputs[1].returncode == 1
    assert outputs[0].stdout == outputs[1].stdout
    assert outputs[0].stdout.count("WSU") > 5_000


_check = segment_pool._check


def _dying(index: int) -> object:
    """A worker's task that kills its process on the fourth segment, as the OOM killer
    would (module-level: tasks are pickled by reference)."""
    if index == 3:
        os._exit(1)
    return _check(index)


def test_a_killed_worker_leaves_the_rest_to_this_process(
    pooled: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segment_pool, "_check", _dying)
    source = generate(60_000)
    assert comparable(checked(source, Settings(), 2)) == comparable(checked(source, Settings(), 1))
    assert pooled[0] <= 3  # the records before the fourth, then none


def test_relinks_take_what_the_workers_made(
    pooled: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sparse findings: segments without a use of an import make its finding differ, the
    module is planned again with those uses together; the workers' records of the first
    plans are taken again where the segment is the same."""
    plans = []
    plan = segments.plan

    def counting(*args: object, **kwargs: object) -> segments.Plan:
        plans.append(plan(*args, **kwargs))  # type: ignore[arg-type]
        return plans[-1]

    monkeypatch.setattr(segments, "plan", counting)
    source = generate(80_000, plain=12)
    alone = checked(source, Settings(), 1)
    assert len(plans) > 1  # relinked
    plans.clear()
    pooled.clear()
    assert comparable(checked(source, Settings(), 2)) == comparable(alone)
    assert len(plans) > 1 and pooled[0] > 0


def test_no_more_workers_than_the_text_needs(
    pooled: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many CPUs: a worker per ``PER_WORKER`` characters to check, at least two."""
    import concurrent.futures

    started: list[int] = []
    executor = concurrent.futures.ProcessPoolExecutor

    class Recording(executor):  # type: ignore[misc,valid-type]
        def __init__(self, workers: int, **kwargs: object) -> None:
            started.append(workers)
            super().__init__(workers, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recording)
    monkeypatch.setattr(segment_pool, "PER_WORKER", 20_000)
    source = generate(60_000)
    assert comparable(checked(source, Settings(), 16)) == comparable(checked(source, Settings(), 1))
    assert started == [3]  # ~60,000 characters to check: 3 workers, not 16
