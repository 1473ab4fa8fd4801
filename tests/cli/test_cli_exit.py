"""The ``wsu`` entry point exits without tearing the interpreter down (``cli.run``): the
whole report still reaches a pipe, and a reader leaving early ends the run quietly."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.cli.helpers import _ENVIRON, COMMAND, LEGACY_APP, LEGACY_CODES, write, wsu


def test_the_whole_report_reaches_a_pipe(tmp_path: Path) -> None:
    write(tmp_path, {f"pkg/mod{i}.py": LEGACY_APP for i in range(150)})
    result = wsu("check", "--no-cache", "--output-format", "json", ".", cwd=tmp_path)
    assert result.code == 1, result.stderr
    assert len(json.loads(result.stdout)) == 150 * len(LEGACY_CODES)


def test_a_reader_leaving_early_ends_the_run_quietly(tmp_path: Path) -> None:
    write(tmp_path, {f"pkg/mod{i}.py": LEGACY_APP for i in range(150)})
    process = subprocess.Popen(
        [*COMMAND, "check", "--no-cache", "."],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**_ENVIRON, "PYTHONUTF8": "1"},
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=60) == 2
    assert first.startswith(b"WSU101")
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
