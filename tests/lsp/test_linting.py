"""Linting a snapshot never raises, whatever the buffer or the rules do."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint_plugin.lsp import linting
from lint_plugin.lsp.client_options import ClientOptions
from lint_plugin.lsp.linting import Snapshot, fix_all, lint_snapshot
from lint_plugin.lsp.workspace_config import WorkspaceConfig
from tests.lsp.helpers import MIXED


def _config(root: Path) -> WorkspaceConfig:
    return WorkspaceConfig(ClientOptions(), [root])


def test_a_syntax_error_gives_no_diagnostics(tmp_path: Path) -> None:
    snapshot = Snapshot("file:///x.py", 1, MIXED.replace("ws.open)", "ws.open"), None)
    linted = lint_snapshot(snapshot, _config(tmp_path))
    assert linted.result.diagnostics == []
    assert not linted.has_fixes


def test_a_crashing_rule_is_logged_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(linting, "check_source", crash)
    monkeypatch.setattr(linting, "fix_source", crash)
    snapshot = Snapshot("file:///x.py", 1, MIXED, tmp_path / "x.py")
    linted = lint_snapshot(snapshot, _config(tmp_path))
    assert linted.result.diagnostics == []
    assert fix_all(linted) == MIXED
    assert "internal error linting" in caplog.text
    assert "RuntimeError: boom" in caplog.text


def test_fix_all_is_computed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    linted = lint_snapshot(Snapshot("file:///x.py", 1, MIXED, None), _config(tmp_path))
    assert linted.has_fixes
    fixed = fix_all(linted)
    assert fixed == MIXED.replace("timeout=5", "close_timeout=5")
    monkeypatch.setattr(linting, "fix_source", None)
    assert fix_all(linted) == fixed


def test_an_excluded_file_gets_no_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "wsu.toml").write_text('extend-exclude = ["vendored"]\n')
    config = _config(tmp_path)
    kept = lint_snapshot(Snapshot("file:///a.py", 1, MIXED, tmp_path / "a.py"), config)
    assert kept.result.diagnostics
    excluded = Snapshot("file:///v.py", 1, MIXED, tmp_path / "vendored" / "v.py")
    assert lint_snapshot(excluded, config).result.diagnostics == []
