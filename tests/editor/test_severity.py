"""One severity per finding in every front end: editor, SARIF and GitHub annotations."""

from __future__ import annotations

import json
from pathlib import Path

from lsprotocol import types

from lint_plugin.lsp.convert import Encoding, TextLines, to_lsp_diagnostic
from lint_plugin.model import Diagnostic, Position
from lint_plugin.rules import RULES_BY_CODE
from lint_plugin.severity import Severity, severity_of
from tests.cli.helpers import wsu

# WSU406 is on by default (a deprecated argument); WSU501 is an opt-in hint.
SOURCE = """\
from websockets.asyncio.client import connect

async def main():
    async with connect("ws://x", timeout=5) as ws:
        text = (await ws.recv()).encode()
"""


def test_default_rules_warn_opt_in_rules_note_unchecked_files_error() -> None:
    assert RULES_BY_CODE["WSU406"].spec.default_enabled
    assert severity_of("WSU406") is Severity.WARNING
    assert not RULES_BY_CODE["WSU501"].spec.default_enabled
    assert severity_of("WSU501") is Severity.NOTE
    assert severity_of(None) is Severity.ERROR


def _lsp_severity(code: str) -> types.DiagnosticSeverity | None:
    diagnostic = Diagnostic(code, "name", "message", Position(1, 0), Position(1, 1))
    return to_lsp_diagnostic(diagnostic, TextLines("x = 1\n"), Encoding.UTF16).severity


def test_editor_severities() -> None:
    assert _lsp_severity("WSU406") == types.DiagnosticSeverity.Warning
    assert _lsp_severity("WSU501") == types.DiagnosticSeverity.Information


def _project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(SOURCE)
    (tmp_path / "broken.py").write_text("import websockets\n\ndef broken(:\n")
    (tmp_path / "pyproject.toml").write_text('[tool.wsu]\nextend-select = ["WSU501"]\n')
    return tmp_path


def test_sarif_levels(tmp_path: Path) -> None:
    result = wsu("check", "--no-cache", "--output-format", "sarif", cwd=_project(tmp_path))
    run = json.loads(result.stdout)["runs"][0]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"WSU406": "warning", "WSU501": "note", "invalid-syntax": "error"}
    defaults = {
        rule["id"]: rule["defaultConfiguration"]["level"] for rule in run["tool"]["driver"]["rules"]
    }
    assert defaults["WSU406"] == "warning"
    assert defaults["WSU501"] == "note"


def test_github_commands(tmp_path: Path) -> None:
    result = wsu("check", "--no-cache", "--output-format", "github", cwd=_project(tmp_path))
    commands = {
        line.split(" ", 1)[0]: line.split("title=", 1)[1].split(" ", 1)[0].split(",", 1)[0]
        for line in result.stdout.splitlines()
    }
    assert commands == {"::warning": "WSU406", "::notice": "WSU501", "::error": "invalid-syntax"}
