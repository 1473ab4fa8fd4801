"""A forked process that lints part of a run's files alongside the command's own.

A run whose files mentioning a target module hold little (the usual project) does the
work after discovery in one process: each file's project facts, then its check; the
worker pool (``cli/workers.py``) only pays for more. With a CPU idle, ``wsu check`` forks
one partner once the candidates are known: each process reads its share's facts, the
partner sends its own, the command decides the project's facts and sends them back, and
each checks its share with the trees its facts were read from; the partner sends its
results and exits. If the partner fails or dies, the command does its share itself.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable, Sequence
from typing import BinaryIO, TypeVar

T = TypeVar("T")

#: Split a run only when its small files hold this much (bytes): forking and the
#: exchange cost ~10 ms, the facts and checks ~0.3 s per MB of typical code.
SPLIT_FROM = 96 * 1024
#: ... and at most this much: a larger run goes to the worker pool, which uses every CPU.
SPLIT_UP_TO = 4 * 1024 * 1024


def idle_cpu() -> bool:
    """Is a CPU free for a partner now? On Linux, from the number of runnable threads
    (``/proc/loadavg``, this one included); elsewhere from the last minute's load."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if not cpus or cpus < 2:
        return False
    try:
        with open("/proc/loadavg", "rb") as loadavg:
            running = int(loadavg.read().split()[3].split(b"/")[0])
    except (OSError, ValueError, IndexError):
        try:
            return os.getloadavg()[0] <= cpus - 1
        except OSError:
            return False
    return running < cpus


def shares(sizes: Sequence[int], first: Sequence[bool]) -> tuple[list[int], list[int]]:
    """The positions of ``sizes`` split in two of about the same total, the command's
    first: those marked ``first`` balanced among themselves (the work done before the
    exchange), then the others; within each, the largest first, to the lighter share."""
    mine: list[int] = []
    theirs: list[int] = []
    totals = [0, 0]
    for group in (True, False):
        chosen = [position for position in range(len(sizes)) if first[position] is group]
        for position in sorted(chosen, key=lambda p: -sizes[p]):
            lighter = 0 if totals[0] <= totals[1] else 1
            (mine if lighter == 0 else theirs).append(position)
            totals[lighter] += sizes[position]
    return sorted(mine), sorted(theirs)


class Lost(Exception):
    """The partner failed, died or closed its end: its share is the command's."""


class Partner:
    """The command's end of the pipes to a forked partner."""

    def __init__(self, pid: int, reader: BinaryIO, writer: BinaryIO) -> None:
        self.pid = pid
        self._reader = reader
        self._writer = writer
        self.lost = False

    @classmethod
    def start(cls, share: Callable[[Partner], None]) -> Partner | None:
        """Fork a process running ``share`` with its own end; ``None`` where there is no
        ``fork``. The partner exits when ``share`` returns or raises, running nothing of
        the command's exit (no output flushed twice)."""
        if not hasattr(os, "fork"):
            return None
        sys.stdout.flush()
        sys.stderr.flush()
        down_read, down_write = os.pipe()
        up_read, up_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the partner's side (its coverage is not collected)
            status = 1
            try:
                os.close(down_write)
                os.close(up_read)
                share(cls(0, os.fdopen(down_read, "rb"), os.fdopen(up_write, "wb")))
                status = 0
            finally:
                os._exit(status)
        os.close(down_read)
        os.close(up_write)
        return cls(pid, os.fdopen(up_read, "rb"), os.fdopen(down_write, "wb"))

    def send(self, message: object) -> None:
        if self.lost:
            return
        try:
            pickle.dump(message, self._writer, pickle.HIGHEST_PROTOCOL)
            self._writer.flush()
        except OSError:
            self.lost = True

    def receive(self, kind: type[T]) -> T:
        """The next message, of type ``kind``; ``Lost`` if the other end has none."""
        if self.lost:
            raise Lost
        try:
            message = pickle.load(self._reader)
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            self.lost = True
            raise Lost from exc
        if not isinstance(message, kind):
            self.lost = True
            raise Lost
        return message

    def close(self) -> None:
        """Close both ends and reap the partner (it has exited, or exits on the EOF)."""
        for end in (self._writer, self._reader):
            try:
                end.close()
            except OSError:
                pass
        if self.pid:  # the command's end
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
