"""The linter's copy of the library's deprecation table: current, and all the linter reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tools.sync_deprecations import COPY, ROOT, expected_copy


def test_the_copy_is_current() -> None:
    assert COPY.read_text(encoding="utf-8") == expected_copy(), (
        "lint_plugin/_deprecations_data.py is stale: run python -m tools.sync_deprecations"
    )


def test_the_check_fails_on_a_stale_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tools.sync_deprecations as sync

    stale = tmp_path / "copy.py"
    stale.write_text(expected_copy() + "# edited by hand\n", encoding="utf-8")
    monkeypatch.setattr(sync, "COPY", stale)
    monkeypatch.setattr(sync, "ROOT", tmp_path)
    assert sync.main(["--check"]) == 1
    assert sync.main([]) == 0
    assert sync.main(["--check"]) == 0
    assert stale.read_text(encoding="utf-8") == expected_copy()


def test_the_linter_never_imports_the_library() -> None:
    code = (
        "import sys, lint_plugin.cli, lint_plugin.flake8_plugin, lint_plugin.lsp.server\n"
        "from lint_plugin.engine import check_source\n"
        "print(sorted(m for m in sys.modules if m.startswith('websockets_impl')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[]\n"
