"""The corpus fix check's "lost findings": a finding gone after ``--fix`` is lost unless its
fix was applied."""

from __future__ import annotations

from typing import Any

from benchmarks.corpus.fix_check import lost_findings


def _finding(code: str, row: int, edits: list[str]) -> dict[str, Any]:
    return {
        "code": code,
        "message": f"{code} message",
        "location": {"row": row},
        "fix": {"applicability": "unsafe", "edits": [{"content": c} for c in edits]},
    }


def test_a_finding_whose_edits_are_in_the_output_is_not_lost() -> None:
    before = [_finding("WSU104", 3, ["websockets.asyncio.client.connect"])]
    fixed = "import websockets\nws = websockets.asyncio.client.connect(uri)\n"
    assert lost_findings(before, [], fixed) == []


def test_import_lines_two_units_inserted_at_one_place_count_in_either_order() -> None:
    """Two units insert at the same place: each line once, not in one unit's order."""
    before = [
        _finding(
            "WSU201",
            9,
            ["from websockets.protocol import State\nimport websockets.asyncio.client\n"],
        )
    ]
    fixed = (
        "import websockets\nimport websockets.asyncio.client\n"
        "from websockets.protocol import State\n"
    )
    assert lost_findings(before, [], fixed) == []


def test_a_finding_gone_without_its_edits_is_lost() -> None:
    before = [
        _finding("WSU201", 9, ["from websockets.protocol import State\n"]),
        _finding("WSU104", 3, ["websockets.asyncio.client.connect"]),
    ]
    fixed = "import websockets\nws = websockets.connect(uri)\n"
    lost = lost_findings(before, [], fixed)
    assert [line.split()[0] for line in lost] == ["WSU201", "WSU104"]
