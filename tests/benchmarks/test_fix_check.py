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


def _unfixable(row: int, column: int, end_column: int) -> dict[str, Any]:
    return {
        "code": "WSU304",
        "message": "WSU304 message",
        "location": {"row": row, "column": column},
        "end_location": {"row": row, "column": end_column},
        "fix": None,
    }


def test_a_finding_without_fix_whose_code_another_fix_rewrote_is_not_lost() -> None:
    original = "from websockets.legacy.client import Connect\nws = Connect(uri)\n"
    fixed = "from websockets.asyncio.client import connect\nws = connect(uri)\n"
    assert lost_findings([_unfixable(2, 6, 13)], [], fixed, original) == []


def test_a_finding_without_fix_gone_with_its_code_unchanged_is_lost() -> None:
    original = "from websockets.legacy.client import Connect\nws = Connect(uri)\n"
    assert lost_findings([_unfixable(2, 6, 13)], [], original, original) != []


def test_a_finding_over_several_lines_whose_code_was_rewritten_is_not_lost() -> None:
    original = "ws = Connect(\n    uri, extra_headers=h)\n"
    fixed = "ws = connect(\n    uri, additional_headers=h)\n"
    finding = _unfixable(1, 6, 1)
    finding["end_location"] = {"row": 2, "column": 26}
    assert lost_findings([finding], [], fixed, original) == []
    assert lost_findings([finding], [], original, original) != []
