"""Linting or fixing one file, in this process or a worker process."""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lint_plugin.backports import StrEnum
from lint_plugin.engine import CheckResult, check_source
from lint_plugin.fixes import FixResult, fix_source
from lint_plugin.settings import Settings

if TYPE_CHECKING:
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


def run_task(task: Task) -> Outcome:
    try:
        if task.mode is Mode.CHECK:
            return _check(task)
        if task.module is not None:
            from lint_plugin.cli.project_index import facts_from_text

            facts = facts_from_text(task.text, task.settings, task.module)
            if facts is not None and facts.uses:
                return Outcome(facts=facts)
        fixed = fix_source(task.text, task.settings, unsafe=task.unsafe, filename=task.filename)
        return Outcome(fix=fixed)
    except Exception:
        # One crashing file must not take the run down; it is reported and exits 2.
        return Outcome(error=traceback.format_exc())


def _check(task: Task) -> Outcome:
    module = task.module
    if module is None:
        return Outcome(
            check=check_source(task.text, filename=task.filename, settings=task.settings)
        )
    from lint_plugin import segments
    from lint_plugin.cli.project_index import facts_from_text
    from lint_plugin.semantic.project import facts_of

    inspected = False

    def inspect(ctx: Context) -> None:
        # The index's facts from the check's own model; a file that takes part stops here.
        nonlocal inspected
        inspected = True
        facts = facts_of(ctx.model, module)
        if facts.uses:
            raise _TakesPart(facts)

    try:
        check = check_source(
            task.text, filename=task.filename, settings=task.settings, inspect=inspect
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
        if facts is not None and facts.uses:
            return Outcome(facts=facts)
    return Outcome(check=check)


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
