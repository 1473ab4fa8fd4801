"""The fixer: non-overlapping selection, fixed point, parse rejection, line endings."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import pytest

from lint_plugin import fixes
from lint_plugin.engine import CheckResult
from lint_plugin.fixes import (
    InvalidEdit,
    LineIndex,
    apply_edits,
    apply_fixes,
    fix_source,
    line_ending,
)
from lint_plugin.model import Applicability, Diagnostic, Edit, Fix, Position
from lint_plugin.settings import Settings
from tests.cli.helpers import ALL_FIXED, LEGACY_APP, SAFE_FIXED

P = Position


def diagnostic(
    code: str, *edits: Edit, applicability: Applicability = Applicability.SAFE
) -> Diagnostic:
    start = min(edit.start for edit in edits) if edits else P(1, 0)
    return Diagnostic(
        code, code.lower(), "message", start, start, fix=Fix(tuple(edits), applicability, "fix it")
    )


def replace(line: int, start: int, end: int, content: str) -> Edit:
    return Edit(P(line, start), P(line, end), content)


def test_non_overlapping_fixes_are_all_applied() -> None:
    text = "aaa bbb ccc\n"
    new, applied = apply_fixes(
        text,
        [
            diagnostic("X3", replace(1, 8, 11, "CCC")),
            diagnostic("X1", replace(1, 0, 3, "A")),
        ],
    )
    assert new == "A bbb CCC\n"
    assert [d.code for d in applied] == ["X1", "X3"]


def test_overlapping_and_touching_fixes_wait_for_the_next_pass() -> None:
    text = "aaa bbb ccc\n"
    new, applied = apply_fixes(
        text,
        [
            diagnostic("X1", replace(1, 0, 5, "Z")),
            diagnostic("X2", replace(1, 4, 7, "B")),  # overlaps X1
            diagnostic("X3", replace(1, 5, 5, "!")),  # touches X1's end
            diagnostic("X4", replace(1, 8, 11, "C")),
        ],
    )
    assert new == "Zbb C\n"
    assert [d.code for d in applied] == ["X1", "X4"]


def test_two_insertions_at_one_point_conflict() -> None:
    insert = Edit.insertion(P(1, 0), "import x\n")
    _, applied = apply_fixes(
        "y = 1\n", [diagnostic("X1", insert), diagnostic("X2", Edit.insertion(P(1, 0), "z\n"))]
    )
    assert [d.code for d in applied] == ["X1"]


def test_a_fix_is_applied_whole_or_not_at_all() -> None:
    text = "a = 1\nb = 2\nc = 3\n"
    import_and_use = diagnostic(
        "X1", Edit.insertion(P(1, 0), "import m\n"), replace(3, 4, 5, "m.C")
    )
    clashing = diagnostic("X2", replace(3, 0, 5, "c = 4"))
    new, applied = apply_fixes(text, [clashing, import_and_use])
    # X1 starts first and wins; X2 clashes with X1's second edit and is left out entirely.
    assert new == "import m\na = 1\nb = 2\nc = m.C\n"
    assert [d.code for d in applied] == ["X1"]


def test_the_same_fix_from_two_rules_is_applied_once() -> None:
    edit = replace(1, 0, 1, "b")
    new, applied = apply_fixes("a\n", [diagnostic("X1", edit), diagnostic("X2", edit)])
    assert new == "b\n"
    assert len(applied) == 1


def test_invalid_edits_are_skipped() -> None:
    text = "a = 1\n"
    new, applied = apply_fixes(
        text,
        [
            diagnostic("X1", replace(1, 4, 99, "2")),
            diagnostic("X2", replace(7, 0, 0, "x")),
            diagnostic("X3", Edit(P(1, 3), P(1, 1), "")),
        ],
    )
    assert (new, applied) == (text, [])
    with pytest.raises(InvalidEdit):
        apply_edits(text, [replace(1, 0, 3, "x"), replace(1, 2, 4, "y")])


def test_new_lines_follow_the_file_line_ending() -> None:
    text = "a = 1\r\nb = 2\r\n"
    assert line_ending(text) == "\r\n"
    new = apply_edits(text, [Edit.insertion(P(2, 0), "import m\nimport n\n")])
    assert new == "a = 1\r\nimport m\r\nimport n\r\nb = 2\r\n"
    assert line_ending("x = 1") == "\n"


def test_line_index_counts_code_points_and_all_line_breaks() -> None:
    index = LineIndex("é = 1\rb\r\nc\n")
    assert index.offset(P(1, 1)) == 1
    assert index.offset(P(2, 1)) == 7
    assert index.offset(P(3, 0)) == 9
    assert index.offset(P(4, 0)) == 11
    assert index.position(9) == P(3, 0)


Rule = tuple[str, str, str, Applicability]


def fake_linter(rules: list[Rule]) -> Callable[..., CheckResult]:
    """Each rule flags every occurrence of a word and offers to replace it."""

    def check(source: str, **_: object) -> CheckResult:
        found = []
        index = LineIndex(source)
        for code, old, new, applicability in rules:
            for match in re.finditer(rf"\b{re.escape(old)}\b", source):
                start, end = index.position(match.start()), index.position(match.end())
                found.append(diagnostic(code, Edit(start, end, new), applicability=applicability))
        return CheckResult(diagnostics=sorted(found, key=lambda d: d.sort_key))

    return check


def test_fixes_repeat_to_a_fixed_point(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = [
        ("X1", "alpha", "beta", Applicability.SAFE),
        ("X2", "beta", "gamma", Applicability.SAFE),
        ("X3", "gamma", "delta", Applicability.UNSAFE),
    ]
    monkeypatch.setattr(fixes, "check_source", fake_linter(rules))
    result = fix_source("alpha = beta\n", Settings(), unsafe=False)
    assert result.source == "gamma = gamma\n"
    assert result.applied == Counter({"X1": 1, "X2": 2})
    assert result.converged and not result.non_converging
    assert [d.code for d in result.remaining] == ["X3", "X3"]
    unsafe = fix_source("alpha = beta\n", Settings(), unsafe=True)
    assert unsafe.source == "delta = delta\n"
    assert unsafe.remaining == []


def test_cycles_are_reported_as_not_converging(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = [("X1", "ping", "pong", Applicability.SAFE), ("X2", "pong", "ping", Applicability.SAFE)]
    monkeypatch.setattr(fixes, "check_source", fake_linter(rules))
    result = fix_source("x = ping\n", Settings(), unsafe=False)
    assert not result.converged
    assert result.non_converging == ("X2",)
    assert result.source == "x = pong\n"


def test_endless_fixes_stop_after_the_pass_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each pass moves the finding further right (a finding reported again where its fix
    # was applied is a different failure: test_fix_convergence.py).
    monkeypatch.setattr(
        fixes, "check_source", fake_linter([("X1", "a", "b + a", Applicability.SAFE)])
    )
    result = fix_source("x = a\n", Settings(), unsafe=False, max_passes=3)
    assert not result.converged
    assert result.non_converging == ("X1",)
    assert result.source == "x = b + b + b + a\n"
    assert result.applied == Counter({"X1": 3})


def test_a_pass_that_breaks_the_syntax_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = [("X1", "old", "new", Applicability.SAFE), ("X2", "new", "new(", Applicability.SAFE)]
    monkeypatch.setattr(fixes, "check_source", fake_linter(rules))
    result = fix_source("x = old\n", Settings(), unsafe=False)
    assert result.source == "x = new\n"  # the first pass stands, the second is dropped
    assert result.rejected == ("X2",)
    assert result.applied == Counter({"X1": 1})
    assert [d.code for d in result.remaining] == ["X2"]


def test_source_with_a_syntax_error_is_left_alone() -> None:
    broken = "import websockets\ndef f(:\n"
    result = fix_source(broken, Settings(), unsafe=True)
    assert result.source == broken
    assert result.syntax_error is not None
    assert result.fixed == 0


def test_real_rules_safe_and_unsafe() -> None:
    safe = fix_source(LEGACY_APP, Settings(), unsafe=False)
    assert safe.source == SAFE_FIXED
    assert safe.applied == Counter({"WSU406": 1})
    assert sorted(d.code for d in safe.remaining) == ["WSU101", "WSU201", "WSU401"]
    everything = fix_source(LEGACY_APP, Settings(), unsafe=True)
    assert everything.source == ALL_FIXED
    assert everything.remaining == [] and everything.converged
    crlf = fix_source(LEGACY_APP.replace("\n", "\r\n"), Settings(), unsafe=True)
    assert crlf.source == ALL_FIXED.replace("\n", "\r\n")
