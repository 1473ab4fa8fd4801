"""Checking a large module's segments in worker processes.

``segments.decided`` takes the segments' records one after the other, in order. With
:data:`JOBS` above one, the segments it will check are checked in forked workers ahead of
it (:func:`checked_ahead`); a record holds no tree, so it is sent back pickled and
compressed (:func:`unpacked`), and the segment's check in order takes it instead of
parsing again. The caller keeps it packed for a later plan of the module (a relink):
unpacked, the records of a dense 10 MB module held 31 MB besides what the module's
findings share with them; packed, 4 MB. A segment whose check raised
in a worker is left out: checked again in order, it raises there, as without workers.
"""

from __future__ import annotations

import io
import pickle
import zlib
from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any

from lint_plugin.model import Position

if TYPE_CHECKING:
    from lint_plugin.segments import Merged, Record

#: Worker processes for one module's segments; 1: none. The command line sets its
#: ``--jobs``, the language server the number of CPUs.
JOBS = 1

#: Fewer characters than this to check: in this process (a pool of two workers costs
#: ~30 ms to start and stop; a segment of 200 KB ~0.3 s to check).
PARALLEL_FROM = 400_000

#: Characters to check per worker process, at least (a many-CPU machine forks no more
#: workers than the text needs).
PER_WORKER = 1_000_000

_job: tuple[Merged, Callable[[Merged, list[int]], Record], Sequence[list[int]]] | None = None
"""What the forked workers check: set before the pool starts, read by :func:`_check`."""


def checked_ahead(
    merged: Merged, segments: Sequence[list[int]], check: Callable[[Merged, list[int]], Record]
) -> Generator[tuple[tuple[int, ...], bytes | None], None, None]:
    """Each of ``segments`` (as chunk indexes) and the record ``check`` gives for it (packed), in
    order, checked in :data:`JOBS` worker processes while the caller takes the records
    already made; ``None`` where the check raised. Nothing when that would not pay or
    cannot be done here, and nothing more after a worker died: the caller checks those
    segments itself. Closing the generator stops the workers (a relink, an exception)."""
    global _job
    size = sum(merged.size(segment) for segment in segments)
    if not _can_fork(JOBS) or len(segments) < 2 or size < PARALLEL_FROM:
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _job = (merged, check, segments)
    context = multiprocessing.get_context("fork")
    # At most a worker per MB to check: each holds its own segment's tree and model.
    workers = min(JOBS, len(segments), max(2, size // PER_WORKER))
    executor = ProcessPoolExecutor(workers, mp_context=context)
    try:
        for segment, record in zip(segments, executor.map(_check, range(len(segments)))):
            yield tuple(segment), record
    except BrokenProcessPool:
        return  # a worker was killed: the rest is checked in order
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
        _job = None


def _can_fork(jobs: int) -> bool:
    if jobs < 2:
        return False
    import multiprocessing

    # A worker of the command line's own pool (daemonic) may not start processes.
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )


def _check(index: int) -> bytes | None:
    assert _job is not None
    merged, check, segments = _job
    try:
        record = check(merged, segments[index])
    except Exception:
        return None  # checked again in order, where it raises as it would have
    return packed(record)


def packed(record: Record) -> bytes:
    """A record as a worker sends it (``unpacked`` reads it)."""
    return zlib.compress(pickle.dumps(record, pickle.HIGHEST_PROTOCOL), 1)


def unpacked(data: bytes) -> Record:
    """A record as a worker sent it."""
    record: Record = _Unpickler(io.BytesIO(zlib.decompress(data))).load()
    return record


class _Unpickler(pickle.Unpickler):
    """Positions on one line share their line's int, as ``Context.position`` made them:
    pickle keeps no int shared, and above 256 each is an object of its own (5 MB of a
    dense 10 MB module's findings)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) != ("lint_plugin.model", "Position"):
            return super().find_class(module, name)
        lines: dict[int, int] = {}

        def position(line: int, column: int) -> Position:
            return Position(lines.setdefault(line, line), column)

        return position
