"""Properties of the fixer over every source the project has: the fix cases, the fixtures,
the corpus and the migration programs.

- Fixes converge: after one ``--fix --unsafe-fixes``, fixing again changes nothing and
  offers nothing more; no rule reports code its own fix produced (``fix_source`` would say
  ``non_converging``). Checked for every source with every rule, and with each rule alone.
- Any selection of rules is safe: with a random subset selected, the fixed text compiles,
  every legacy use that needs a hand edit is still reported, and no legacy use is left on
  code the fix moved to the new implementation (``CheckResult.mixed`` does not grow).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint_plugin.engine import check_source
from lint_plugin.fixes import fix_source
from lint_plugin.model import Applicability, FixAvailability
from lint_plugin.rules import ALL_RULES, RULES_BY_CODE
from lint_plugin.settings import Settings, parse_version
from tests.lint.expectations import settings_for

TESTS = Path(__file__).resolve().parents[1]
SOURCES: dict[str, Path] = {
    f"{path.parent.name}/{path.name}": path
    for pattern in ("lint/fix_cases/*.py", "lint/fixtures/*.py", "lint/corpus/*.py")
    for path in sorted(TESTS.glob(pattern))
    if not path.name.endswith(".fixed.py")
}
SOURCES.update(
    {
        f"migration/{path.name}": path
        for path in sorted((TESTS / "migration" / "programs").glob("*.py"))
        if not path.name.endswith(".migrated.py")
    }
)
FIXABLE = [r.spec.code for r in ALL_RULES if r.spec.fix_availability is not FixAvailability.NONE]
DEFAULT = [r.spec.code for r in ALL_RULES if r.spec.default_enabled]
_TARGET = re.compile(r"^# wsu-args:.*--target-version\s+(\S+)", re.MULTILINE)


def _text(name: str) -> str:
    return SOURCES[name].read_text(encoding="utf-8")


def _settings(source: str, select: tuple[str, ...] | None = None) -> Settings:
    base = settings_for(source) if select is None else settings_for(source, select=select)
    match = _TARGET.search(source)
    if match is not None:
        base = replace(base, target_version=parse_version(match.group(1)))
    return base


def _assert_converged(name: str, source: str, settings_: Settings) -> str:
    first = fix_source(source, settings_, unsafe=True)
    assert first.syntax_error is None, (name, first.syntax_error)
    assert first.rejected == (), (name, first.rejected)
    assert first.non_converging == (), (name, first.non_converging)
    assert first.inconsistent == (), (name, first.inconsistent)
    compile(first.source, name, "exec")
    again = fix_source(first.source, settings_, unsafe=True)
    assert again.source == first.source, f"{name}: a second --fix changed the text"
    assert not again.applied, (name, again.applied)
    left = [d for d in again.remaining if d.fix is not None and d.fix.is_applicable(unsafe=True)]
    assert left == [], [(name, d.code, d.start, d.message) for d in left]
    return first.source


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_rule_together_converges(name: str) -> None:
    source = _text(name)
    _assert_converged(name, source, _settings(source, tuple(DEFAULT)))


@functools.cache
def _reported(name: str) -> frozenset[str]:
    source = _text(name)
    every = _settings(source, tuple(r.spec.code for r in ALL_RULES))
    return frozenset(d.code for d in check_source(source, settings=every).diagnostics)


@pytest.mark.parametrize("code", FIXABLE)
def test_each_rule_alone_converges_on_every_case_and_fixture(code: str) -> None:
    names = [n for n in sorted(SOURCES) if n.startswith(("fix_cases/", "fixtures/"))]
    checked = 0
    for name in names:
        if code in _reported(name):
            source = _text(name)
            _assert_converged(name, source, _settings(source, (code,)))
            checked += 1
    assert checked, f"no fix case or fixture reports {code}"


def _hand_edits(source: str, settings_: Settings) -> Counter[str]:
    """Legacy uses (WSU2xx-WSU4xx) no fix handles, with every default rule selected."""
    result = check_source(source, settings=replace(settings_, select=tuple(DEFAULT)))
    return Counter(
        d.code
        for d in result.diagnostics
        if not d.code.startswith("WSU1")
        and RULES_BY_CODE[d.code].spec.flags_deprecated_api
        and not (d.fix is not None and d.fix.applicability is not Applicability.DISPLAY_ONLY)
    )


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(sorted(SOURCES)),
    selection=st.lists(st.sampled_from(DEFAULT), min_size=1, max_size=8, unique=True),
    unsafe=st.booleans(),
)
def test_any_selection_leaves_a_consistent_program(
    name: str, selection: list[str], unsafe: bool
) -> None:
    source = _text(name)
    chosen = _settings(source, tuple(selection))
    result = fix_source(source, chosen, unsafe=unsafe)
    compile(result.source, name, "exec")
    assert result.rejected == () and result.inconsistent == (), result
    every = replace(chosen, select=tuple(DEFAULT))
    before = check_source(source, settings=every)
    after = check_source(result.source, settings=every)
    # No legacy use left on code the fixes moved to the new implementation.
    grown = {c: n for c, n in after.mixed.items() if n > before.mixed[c]}
    assert not grown, (name, selection, grown, result.source)
    # Every hand edit is still reported (its code, on the fixed text).
    missing = set(_hand_edits(source, chosen)) - {d.code for d in after.diagnostics}
    assert not missing, (name, selection, missing)
