"""Linting or fixing one file, in this process or a worker process."""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from lint_plugin.backports import StrEnum
from lint_plugin.engine import CheckResult, check_source
from lint_plugin.fixes import FixResult, fix_source
from lint_plugin.settings import Settings


class Mode(StrEnum):
    CHECK = "check"
    FIX = "fix"
    DIFF = "diff"


@dataclass(frozen=True)
class Task:
    filename: str
    text: str
    settings: Settings
    mode: Mode
    unsafe: bool


@dataclass
class Outcome:
    check: CheckResult | None = None
    fix: FixResult | None = None
    error: str | None = None


def run_task(task: Task) -> Outcome:
    try:
        if task.mode is Mode.CHECK:
            return Outcome(
                check=check_source(task.text, filename=task.filename, settings=task.settings)
            )
        fixed = fix_source(task.text, task.settings, unsafe=task.unsafe, filename=task.filename)
        return Outcome(fix=fixed)
    except Exception:
        # One crashing file must not take the run down; it is reported and exits 2.
        return Outcome(error=traceback.format_exc())


def _pool_context() -> multiprocessing.context.BaseContext:
    # fork starts workers in milliseconds with the rules already imported.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def run_tasks(tasks: Sequence[Task], jobs: int) -> list[Outcome]:
    workers = min(jobs, len(tasks))
    if workers <= 1:
        return [run_task(task) for task in tasks]
    # Load what every task needs once, before forking, instead of once per worker.
    import lint_plugin.context
    import lint_plugin.rules  # noqa: F401

    chunksize = max(1, len(tasks) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as executor:
        return list(executor.map(run_task, tasks, chunksize=chunksize))
