"""Worker processes: used only when the tasks left would take long in one process, and
then reporting what one process does."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from lint_plugin import cli
from lint_plugin.cli import workers
from lint_plugin.cli.workers import Mode, Outcome, Task
from lint_plugin.settings import Settings
from tests.cli.helpers import LEGACY_APP, write


def _tasks(count: int) -> list[Task]:
    return [Task(f"m{i}.py", LEGACY_APP, Settings(), Mode.CHECK, False) for i in range(count)]


def _recording(calls: list[int]) -> object:
    def in_workers(tasks: Sequence[Task], count: int) -> list[Outcome]:
        calls.append(len(tasks))
        return [workers.run_task(task) for task in tasks]

    return in_workers


def test_short_runs_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(workers, "_in_workers", _recording(calls))
    monkeypatch.setattr(workers, "PROBE", 0.0)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 3600.0)
    assert len(workers.run_tasks(_tasks(5), jobs=4)) == 5
    assert calls == []


def test_long_runs_go_to_workers_unless_one_job(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(workers, "_in_workers", _recording(calls))
    monkeypatch.setattr(workers, "PROBE", 0.0)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 0.0)
    outcomes = workers.run_tasks(_tasks(5), jobs=4)
    assert calls == [5]
    assert [o.check is not None for o in outcomes] == [True] * 5
    assert len(workers.run_tasks(_tasks(5), jobs=1)) == 5
    assert len(workers.run_tasks(_tasks(1), jobs=4)) == 1
    assert calls == [5]


def test_workers_report_what_one_process_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {f"pkg{i}/mod{j}.py": LEGACY_APP for i in range(3) for j in range(4)})
    monkeypatch.chdir(tmp_path)
    args = ["check", "--no-cache", "--output-format", "concise"]
    assert cli.main([*args, "--jobs", "1"]) == 1
    serial = capsys.readouterr().out
    calls: list[int] = []
    real = workers._in_workers

    def in_workers(tasks: Sequence[Task], count: int) -> list[Outcome]:
        calls.append(count)
        return real(tasks, count)

    monkeypatch.setattr(workers, "_in_workers", in_workers)
    monkeypatch.setattr(workers, "PROBE", 0.0)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 0.0)
    assert cli.main([*args, "--jobs", "2"]) == 1
    assert calls == [2]
    assert capsys.readouterr().out == serial
    assert serial.splitlines()[-2] == "Found 48 errors."
