"""Linting or fixing one file, in this process or a worker process."""

from __future__ import annotations

import ast
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lint_plugin.backports import StrEnum
from lint_plugin.engine import CheckResult, check_source
from lint_plugin.fixes import FixResult, fix_source
from lint_plugin.settings import Settings

if TYPE_CHECKING:
    import multiprocessing.context

    from lint_plugin.context import Context
    from lint_plugin.semantic.project import ModuleFacts


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
    module: str | None = None
    """The file's module name when it may pass imported callbacks to ``serve()``
    (``cli/project_index.py``): its facts are read first."""


@dataclass
class Outcome:
    check: CheckResult | None = None
    fix: FixResult | None = None
    error: str | None = None
    facts: ModuleFacts | None = None
    """The file passes callbacks imported from other modules to ``serve()``: nothing else
    was done, it is linted once the project index is built."""


class _TakesPart(Exception):
    def __init__(self, facts: ModuleFacts) -> None:
        self.facts = facts


def run_task(task: Task, tree: ast.Module | None = None) -> Outcome:
    """``tree``: the text's, when parsed already (checks only)."""
    try:
        if task.mode is Mode.CHECK:
            return _check(task, tree)
        if task.module is not None:
            taking_part = _takes_part(task)
            if taking_part is not None:
                return taking_part
        fixed = fix_source(task.text, task.settings, unsafe=task.unsafe, filename=task.filename)
        return Outcome(fix=fixed)
    except Exception:
        # One crashing file must not take the run down; it is reported and exits 2.
        return Outcome(error=traceback.format_exc())


def _takes_part(task: Task) -> Outcome | None:
    """The facts of a file to fix that passes imported callbacks to ``serve()``."""
    from lint_plugin import segments

    if len(task.text) > segments.THRESHOLD:
        # Read from a check in segments: the whole module's tree and model would take
        # ~120 times the file.
        checked = _check(task)
        return checked if checked.facts is not None else None
    from lint_plugin.cli.project_index import facts_from_text

    assert task.module is not None
    facts = facts_from_text(task.text, task.settings, task.module)
    return Outcome(facts=facts) if facts is not None and facts.takes_part else None


def _check(task: Task, tree: ast.Module | None = None) -> Outcome:
    module = task.module
    if module is None:
        return Outcome(
            check=check_source(task.text, filename=task.filename, settings=task.settings, tree=tree)
        )
    from lint_plugin import segments
    from lint_plugin.cli.project_index import facts_from_text
    from lint_plugin.semantic.project import facts_of

    inspected = False

    def inspect(ctx: Context | None) -> None:
        # The index's facts from the check's own model; a file that takes part stops here.
        nonlocal inspected
        inspected = True
        if ctx is None:
            return  # a segment that a worker process inspected, and that takes no part
        facts = facts_of(ctx.model, module)
        if facts.takes_part:
            raise _TakesPart(facts)

    try:
        check = check_source(
            task.text, filename=task.filename, settings=task.settings, inspect=inspect, tree=tree
        )
    except _TakesPart as taking_part:
        if len(task.text) > segments.THRESHOLD:
            # Checked in segments (lint_plugin/segments.py): those were one segment's.
            whole = facts_from_text(task.text, task.settings, module)
            return Outcome(facts=whole or taking_part.facts)
        return Outcome(facts=taking_part.facts)
    if not inspected and check.syntax_error is None:
        # No rule enabled (or too deeply nested): the model was not built.
        facts = facts_from_text(task.text, task.settings, module)
        if facts is not None and facts.takes_part:
            return Outcome(facts=facts)
    return Outcome(check=check)


def _pool_context() -> multiprocessing.context.BaseContext:
    import multiprocessing

    # fork starts workers in milliseconds with what the tasks done so far imported.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


#: Tasks run in this process for this long (seconds) before the rest may go to workers.
PROBE = 0.1
#: The rest goes to worker processes when it would take this long here (seconds).
#: Measured on 2 CPUs: forking and collecting cost ~50 ms, and each worker runs a task
#: up to 1.6x slower than this process does when both CPUs are busy.
PARALLEL_FROM = 0.3


def run_tasks(
    tasks: Sequence[Task], jobs: int, parsed: Mapping[str, ast.Module] | None = None
) -> list[Outcome]:
    """Run in this process, unless the tasks done after ``PROBE`` seconds project the
    rest to take ``PARALLEL_FROM`` seconds or more: then the rest runs in ``jobs``
    worker processes. ``parsed``: trees parsed already, by file name (used here only)."""
    parsed = parsed or {}
    outcomes: list[Outcome] = []
    total = sum(len(task.text) for task in tasks) or 1
    done = 0
    started = time.perf_counter()
    for position, task in enumerate(tasks):
        left = len(tasks) - position
        elapsed = time.perf_counter() - started
        if (
            min(jobs, left) > 1
            and elapsed >= PROBE
            and elapsed * (total - done) >= PARALLEL_FROM * max(done, 1)
        ):
            return outcomes + _in_workers(tasks[position:], min(jobs, left))
        outcomes.append(run_task(task, parsed.get(task.filename)))
        done += len(task.text)
    return outcomes


def _in_workers(tasks: Sequence[Task], workers: int) -> list[Outcome]:
    from concurrent.futures import ProcessPoolExecutor

    chunksize = max(1, len(tasks) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as executor:
        return list(executor.map(run_task, tasks, chunksize=chunksize))
