"""Checking a large module's segments in worker processes.

``segments.decided`` takes the segments' records one after the other, in order. With
:data:`JOBS` above one, the segments it will check are first checked in forked workers
(:func:`prefetch`); a record holds no tree, so it is sent back pickled, and the segment's
check in order takes it instead of parsing again. A segment whose check raised in a worker
is left out: checked again in order, it raises there, as without workers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lint_plugin.segments import Merged, Record

#: Worker processes for one module's segments; 1: none. The command line sets its
#: ``--jobs``, the language server the number of CPUs.
JOBS = 1

#: Fewer characters than this to check: in this process (a pool of two workers costs
#: ~30 ms to start and stop; a segment of 200 KB ~0.3 s to check).
PARALLEL_FROM = 400_000

_job: tuple[Merged, Callable[[Merged, list[int]], Record], Sequence[list[int]]] | None = None
"""What the forked workers check: set before the pool starts, read by :func:`_check`."""


def prefetch(
    merged: Merged, segments: Sequence[list[int]], check: Callable[[Merged, list[int]], Record]
) -> dict[tuple[int, ...], Record]:
    """The records ``check`` gives for ``segments``, checked in :data:`JOBS` workers, by
    segment; empty when that would not pay or cannot be done here."""
    global _job
    size = sum(merged.size(segment) for segment in segments)
    if not _can_fork(JOBS) or len(segments) < 2 or size < PARALLEL_FROM:
        return {}
    import multiprocessing

    _job = (merged, check, segments)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(JOBS, len(segments))) as pool:
            found = pool.map(_check, range(len(segments)), chunksize=1)
    finally:
        _job = None
    return {
        tuple(segment): record for segment, record in zip(segments, found) if record is not None
    }


def _can_fork(jobs: int) -> bool:
    if jobs < 2:
        return False
    import multiprocessing

    # A worker of the command line's own pool (daemonic) may not start processes.
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )


def _check(index: int) -> Record | None:
    assert _job is not None
    merged, check, segments = _job
    try:
        return check(merged, segments[index])
    except Exception:
        return None  # checked again in order, where it raises as it would have
