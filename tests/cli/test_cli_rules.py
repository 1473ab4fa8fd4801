"""wsu rule, wsu rules, wsu server."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import jsonschema
import pytest

from lint_plugin import cli
from lint_plugin.rules import ALL_RULES
from tests.cli.helpers import schema, wsu


def test_rule_page(tmp_path: Path) -> None:
    result = wsu("rule", "WSU201", cwd=tmp_path)
    assert result.code == 0
    page = result.stdout
    assert page.startswith("# connection-open (WSU201)\n")
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings[:5] == [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## Fix safety",
    ]
    assert "Fix is sometimes available." in page
    by_name = wsu("rule", "connection-open", cwd=tmp_path)
    assert by_name.stdout == page


def test_rule_json(tmp_path: Path) -> None:
    result = wsu("rule", "wsu406", "--output-format", "json", cwd=tmp_path)
    assert result.code == 0
    data = result.json()
    jsonschema.validate(data, schema("rule-output.schema.json"))
    assert (data["code"], data["name"], data["applicability"]) == (
        "WSU406",
        "timeout-argument",
        "safe",
    )


def test_unknown_rule(tmp_path: Path) -> None:
    result = wsu("rule", "WSU999", cwd=tmp_path)
    assert result.code == 2
    assert "unknown rule 'WSU999'" in result.stderr


def test_rules_listing(tmp_path: Path) -> None:
    result = wsu("rules", cwd=tmp_path)
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(ALL_RULES)
    assert lines[0].split()[:2] == [ALL_RULES[0].spec.code, ALL_RULES[0].spec.name]
    timeout = next(line for line in lines if line.startswith("WSU406"))
    assert timeout.split()[1:] == ["timeout-argument", "fix:", "sometimes", "(safe)"]
    as_json = wsu("rules", "--output-format", "json", cwd=tmp_path).json()
    assert [item["code"] for item in as_json] == [rule.spec.code for rule in ALL_RULES]
    for item in as_json:
        jsonschema.validate(item, schema("rule-output.schema.json"))


def test_server_without_the_language_server_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def missing(name: str) -> ModuleType:
        raise ModuleNotFoundError(f"No module named {name!r}")

    monkeypatch.setattr(importlib, "import_module", missing)
    assert cli.main(["server"]) == 2
    assert "the language server is not available" in capsys.readouterr().err


def test_server_dispatches_to_the_language_server(monkeypatch: pytest.MonkeyPatch) -> None:
    module = ModuleType("lint_plugin.lsp.server")
    calls: list[str] = []
    module.main = lambda: calls.append("started")  # type: ignore[attr-defined]
    monkeypatch.setattr(importlib, "import_module", lambda name: module)
    assert cli.main(["server"]) == 0
    assert calls == ["started"]
