"""Each rule's spec is complete, its docs examples behave as documented, and the
generated pages in docs/rules/ are up to date."""

from __future__ import annotations

import ast
import re

import pytest

from lint_plugin.docs_gen import rule_page, stale_pages
from lint_plugin.engine import check_source
from lint_plugin.model import Applicability, FixAvailability
from lint_plugin.rules import ALL_RULES
from lint_plugin.spec import RuleSpec
from tests.lint.expectations import settings_for

SPECS = [rule.spec for rule in ALL_RULES]
IDS = [spec.code for spec in SPECS]


def only(spec: RuleSpec, source: str):
    settings = settings_for(source, select=(spec.code,))
    return check_source(source, settings=settings).diagnostics


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_bad_example_is_flagged_where_documented(spec: RuleSpec) -> None:
    diagnostics = only(spec, spec.example)
    assert [d.code for d in diagnostics] == [spec.code]
    start = diagnostics[0].start
    assert (start.line, start.column) == spec.example_flagged_at


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_good_example_is_clean(spec: RuleSpec) -> None:
    settings = settings_for(spec.use_instead, select=("WSU",))  # opt-in rules too
    assert check_source(spec.use_instead, settings=settings).diagnostics == []


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_spec_is_complete(spec: RuleSpec) -> None:
    assert re.fullmatch(r"WSU[1-5]\d\d", spec.code)
    assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", spec.name)
    for text in (spec.summary, spec.message, spec.fix_title, spec.what_it_does, spec.why_bad):
        assert text.strip()
    ast.parse(spec.example)
    ast.parse(spec.use_instead)
    assert spec.example != spec.use_instead
    if spec.fix_availability is FixAvailability.NONE:
        assert spec.applicability in {None, Applicability.DISPLAY_ONLY}
    else:
        assert spec.applicability in {Applicability.SAFE, Applicability.UNSAFE}
    page = rule_page(spec)
    for heading in ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety"):
        assert f"## {heading}\n" in page


def test_codes_and_names_are_unique() -> None:
    assert len({s.code for s in SPECS}) == len(SPECS)
    assert len({s.name for s in SPECS}) == len(SPECS)


def test_every_catalog_rule_of_families_1_to_4_exists() -> None:
    codes = {s.code for s in SPECS}
    expected = (
        {f"WSU10{i}" for i in range(1, 7)}
        | {f"WSU20{i}" for i in range(1, 9)}
        | {f"WSU30{i}" for i in range(1, 5)}
        | {f"WSU4{i:02d}" for i in range(1, 12)}
    )
    assert expected <= codes


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_fix_availability_matches_the_example(spec: RuleSpec) -> None:
    """A rule that declares no fix never carries edits; one that always fixes, does."""
    diagnostics = only(spec, spec.example)
    fix = diagnostics[0].fix
    has_edits = fix is not None and bool(fix.edits)
    if spec.fix_availability is FixAvailability.NONE:
        assert not has_edits
    if spec.fix_availability is FixAvailability.ALWAYS:
        assert has_edits


def test_generated_docs_are_current() -> None:
    assert stale_pages() == [], "run: python -m lint_plugin.docs_gen"
