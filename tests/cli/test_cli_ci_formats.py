"""The CI formats: gitlab (Code Quality), junit, json-lines and pylint."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.cli.helpers import CLEAN, LEGACY_APP, LEGACY_CODES, TIMEOUT_ONLY, write, wsu


def test_gitlab_code_quality(tmp_path: Path) -> None:
    write(tmp_path, {"src/app.py": LEGACY_APP, "b.py": TIMEOUT_ONLY + "\n" + TIMEOUT_ONLY})
    result = wsu("check", "--output-format", "gitlab", cwd=tmp_path)
    assert result.code == 1
    issues = result.json()
    assert [i["check_name"] for i in issues] == ["WSU406", "WSU406", *LEGACY_CODES]
    for issue in issues:
        assert set(issue) == {
            "type",
            "check_name",
            "description",
            "categories",
            "severity",
            "fingerprint",
            "location",
        }
        assert issue["severity"] == "minor"
        assert issue["description"].startswith(issue["check_name"] + ": ")
    assert issues[2]["location"] == {
        "path": "src/app.py",
        "positions": {"begin": {"line": 1, "column": 1}, "end": {"line": 1, "column": 45}},
    }
    # Two identical findings on identical lines still get distinct fingerprints.
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints)
    # A line added above moves the findings, not their fingerprints.
    write(tmp_path, {"src/app.py": "# moved\n" + LEGACY_APP})
    moved = wsu("check", "--output-format", "gitlab", cwd=tmp_path).json()
    assert [i["fingerprint"] for i in moved] == fingerprints
    assert moved[2]["location"]["positions"]["begin"]["line"] == 2


def test_gitlab_opt_in_rules_are_info(tmp_path: Path) -> None:
    opt_in = (
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765") as websocket:\n'
        "        payload = (await websocket.recv()).encode()\n"
    )
    write(tmp_path, {"app.py": opt_in})
    result = wsu("check", "--select", "WSU501", "--output-format", "gitlab", cwd=tmp_path)
    assert [(i["check_name"], i["severity"]) for i in result.json()] == [("WSU501", "info")]


def test_junit(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": LEGACY_APP, "clean.py": CLEAN})
    result = wsu("check", "--output-format", "junit", cwd=tmp_path)
    assert result.code == 1
    root = ET.fromstring(result.stdout)
    assert (root.tag, root.get("tests"), root.get("failures")) == ("testsuites", "5", "4")
    suites = {s.get("name"): s for s in root}
    assert list(suites) == ["app.py", "clean.py"]
    cases = suites["app.py"].findall("testcase")
    assert [c.get("name") for c in cases] == [f"wsu.{code}" for code in LEGACY_CODES]
    first = cases[0]
    assert (first.get("line"), first.get("column"), first.get("file")) == ("1", "1", "app.py")
    failure = first.find("failure")
    assert failure is not None and failure.get("type") == "WSU101"
    assert failure.text is not None and failure.text.startswith("line 1, col 1, `websockets.")
    (passing,) = suites["clean.py"].findall("testcase")
    assert passing.find("failure") is None


def test_junit_escapes_what_xml_cannot_hold_raw(tmp_path: Path) -> None:
    write(tmp_path, {"a&<b>.py": TIMEOUT_ONLY})
    result = wsu("check", "--output-format", "junit", cwd=tmp_path)
    root = ET.fromstring(result.stdout)
    assert [s.get("name") for s in root] == ["a&<b>.py"]


def test_json_lines_are_the_json_items(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": LEGACY_APP})
    lines = wsu("check", "--output-format", "json-lines", cwd=tmp_path).stdout.splitlines()
    items = wsu("check", "--output-format", "json", cwd=tmp_path).json()
    assert [json.loads(line) for line in lines] == items
    assert len(lines) == len(LEGACY_CODES)


def test_pylint(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": LEGACY_APP, "bad.py": "import websockets\nx = (\n"})
    result = wsu("check", "--output-format", "pylint", cwd=tmp_path)
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "app.py:1: [WSU101] `websockets.legacy.client` is the deprecated legacy "
        "implementation; use `websockets.asyncio.client`"
    )
    assert [line.split(" ")[1] for line in lines[:4]] == [f"[{c}]" for c in LEGACY_CODES]
    assert lines[4].startswith("bad.py:2: [invalid-syntax] SyntaxError:")
    assert len(lines) == 5
