"""The executable migration suite: legacy programs, before and after ``wsu check --fix``.

For each program in ``programs/`` (see ``harness.py`` for the header comments):

a. on websockets_impl (``websockets`` aliased to it) with ``-W always::DeprecationWarning``:
   exit 0, the transcript ``<name>.out``, exactly the declared DeprecationWarnings and
   nothing else on stderr; ``wsu check`` reports exactly the declared rules;
b. every program (manual ones too) is fixed, once with ``wsu check --fix --unsafe-fixes``
   and once with ``--fix`` alone, and the invariant holds: the fixed copy compiles, prints
   the transcript, and ``wsu check`` still reports every hand edit left and no fix left
   unapplied. Where every finding was fixed (all auto programs with unsafe fixes), it runs
   on the new implementation with no warning at all, and reports only the declared
   display-only hints; where something was held back, it runs with no warning the legacy
   program did not emit. Where a fix cannot preserve behaviour (``# behaviour-change:``),
   the migrated copy must print ``<name>.fixed.out`` instead, which records what changes;
c. (manual) the hand-migrated ``<name>.migrated.py`` prints the transcript on both
   implementations with no warning, and wsu finds nothing in it;
d. the legacy program and the fixed (or migrated) one print the same transcript on
   upstream websockets 17.4, which shows that the transcripts are faithful.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lint_plugin.model import Applicability, FixAvailability
from lint_plugin.rules import ALL_RULES, RULES_BY_CODE
from tests.migration import harness
from tests.migration.harness import Program, Result

PROGRAMS = harness.load_programs()
AUTO = [program for program in PROGRAMS if program.group == "auto"]
MANUAL = [program for program in PROGRAMS if program.group == "manual"]


def ids(programs: list[Program]) -> list[str]:
    return [program.name for program in programs]


def assert_ran(result: Result, expected: str, what: str) -> None:
    assert not result.timed_out, f"{what}: timed out\n{result.describe()}"
    assert result.returncode == 0, f"{what}: failed\n{result.describe()}"
    assert result.stdout == expected, f"{what}: transcript differs\n{result.describe()}"
    assert not result.noise, f"{what}: unexpected output on stderr\n{result.describe()}"


def assert_no_warnings(result: Result, what: str) -> None:
    assert not result.records, f"{what}: warnings\n{result.describe()}"


def assert_declared_warnings(program: Program, result: Result) -> None:
    emitted = result.deprecations
    undeclared = [m for m in emitted if not any(text in m for text in program.warnings)]
    assert not undeclared, f"undeclared DeprecationWarnings: {undeclared}"
    missing = [text for text in program.warnings if not any(text in m for m in emitted)]
    assert not missing, f"expected DeprecationWarnings not emitted: {missing}\n{emitted}"
    others = [record for record in result.records if record[0] != "DeprecationWarning"]
    assert not others, f"other warnings: {others}"


def codes(result: Result) -> set[str]:
    return {diagnostic["code"] for diagnostic in harness.diagnostics(result)}


# -- the catalogue ------------------------------------------------------------------------


def test_catalogue() -> None:
    assert len(PROGRAMS) >= 20
    assert AUTO and MANUAL
    known = set(RULES_BY_CODE)
    for program in PROGRAMS:
        assert program.expected_path.is_file(), f"{program.name}: no transcript"
        assert program.expected.strip(), f"{program.name}: empty transcript"
        assert program.rules, f"{program.name}: no '# rules:'"
        assert program.rules <= known, f"{program.name}: unknown codes"
        assert program.remaining <= program.rules, program.name
        has_migrated = program.migrated_path.is_file()
        assert has_migrated == (program.group == "manual"), program.name
        if program.group == "manual":
            assert not program.remaining and not program.known_gaps, program.name
            assert not program.behaviour_changes, program.name
        has_fixed_out = program.expected_fixed_path.is_file()
        assert has_fixed_out == bool(program.behaviour_changes), program.name
        if has_fixed_out:
            assert program.expected_fixed != program.expected, program.name
    docs = (harness.ROOT / "docs" / "migration-suite.md").read_text(encoding="utf-8")
    undocumented = [p.name for p in PROGRAMS if f"| `{p.name}` |" not in docs]
    assert not undocumented, "list these programs in docs/migration-suite.md"
    names = {program.name for program in PROGRAMS}
    for path in harness.PROGRAMS.iterdir():
        stem = path.name.split(".")[0]
        imported = any(path in harness.companions(p.path) for p in PROGRAMS)
        assert stem in names or imported, f"stray file {path.name}"


def test_every_fix_is_exercised() -> None:
    """Every rule that has a fix to apply sees it applied, behaviour intact, in some program."""
    fixable = {
        rule.spec.code
        for rule in ALL_RULES
        if rule.spec.fix_availability is not FixAvailability.NONE
        and rule.spec.applicability not in (None, Applicability.DISPLAY_ONLY)
    }
    exercised = set().union(
        *(program.fixed_codes for program in AUTO if not program.behaviour_changes)
    )
    assert fixable - exercised == set()


def test_shim_aliases_websockets_to_websockets_impl(tmp_path: Path) -> None:
    script = tmp_path / "probe.py"
    script.write_text(
        "import sys, warnings\n"
        "warnings.simplefilter('ignore')\n"
        "import websockets, websockets.legacy.server, websockets.asyncio.client\n"
        "from websockets.legacy.client import connect\n"
        "import websockets_impl, websockets_impl.legacy.server\n"
        "print(websockets is websockets_impl,\n"
        "      websockets.legacy.server is websockets_impl.legacy.server,\n"
        "      connect.__module__, websockets.asyncio.client.connect.__module__)\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'websockets'\n"
        "      and not sys.modules[name].__name__.startswith('websockets_impl')))\n"
        "try:\n"
        "    import websockets.no_such_module\n"
        "except ModuleNotFoundError as exc:\n"
        "    print(exc.name)\n"
    )
    result = harness.run({"": harness.python(script, "ours", tmp_path)})[""]
    assert_ran(
        result,
        "True True websockets_impl.legacy.client websockets_impl.asyncio.client\n"
        "[]\nwebsockets.no_such_module\n",
        "probe",
    )


# -- the programs -------------------------------------------------------------------------


@pytest.mark.parametrize("program", PROGRAMS, ids=ids(PROGRAMS))
def test_legacy_program(program: Program, tmp_path: Path) -> None:
    """(a) and (e): the legacy program on websockets_impl and on upstream; what wsu sees."""
    copy = harness.copy_program(program, tmp_path)
    results = harness.run(
        {
            "ours": harness.python(program.path, "ours", tmp_path),
            "upstream": harness.python(program.path, "upstream", tmp_path),
            "lint": harness.lint(copy, program, tmp_path),
        }
    )
    expected = program.expected
    assert_ran(results["ours"], expected, "legacy program on websockets_impl")
    assert_declared_warnings(program, results["ours"])
    assert_ran(results["upstream"], expected, "legacy program on upstream websockets")
    assert codes(results["lint"]) == program.rules


def hand_edits(diagnostics: list[dict[str, Any]], *, unsafe: bool) -> set[str]:
    """Codes of the findings no fix applies to (at this applicability)."""
    applicable = {"safe", "unsafe"} if unsafe else {"safe"}
    return {
        d["code"]
        for d in diagnostics
        if not (d["fix"] and d["fix"]["applicability"] in applicable)
        and RULES_BY_CODE[d["code"]].spec.flags_deprecated_api
    }


@pytest.mark.parametrize("mode", ["unsafe", "safe"])
@pytest.mark.parametrize("program", PROGRAMS, ids=ids(PROGRAMS))
def test_fixed_program(program: Program, mode: str, tmp_path: Path) -> None:
    """The invariant, on every program: fix a copy (``--fix --unsafe-fixes``, then
    ``--fix`` alone), run it on both implementations, lint it again."""
    unsafe = mode == "unsafe"
    original = harness.copy_program(program, tmp_path / "original")
    copy = harness.copy_program(program, tmp_path / "fixed")
    first = harness.run(
        {
            "fix": harness.fix(copy, program, copy.parent, unsafe=unsafe),
            "lint": harness.lint(original, program, original.parent),
        }
    )
    fixing = first["fix"]
    assert fixing.returncode == 0 and not fixing.timed_out, fixing.describe()
    assert "please report" not in fixing.stderr, fixing.describe()
    before = harness.diagnostics(first["lint"])
    sources = [copy, *(copy.parent / m.name for m in harness.companions(program.path))]
    for source in sources:
        compile(source.read_text(encoding="utf-8"), str(source), "exec")
    fixed = copy.read_text(encoding="utf-8")
    changed = any(
        s.read_text(encoding="utf-8") != (original.parent / s.name).read_text(encoding="utf-8")
        for s in sources
    )
    commands = {"lint": harness.lint(copy, program, copy.parent)}
    if changed:
        commands["ours"] = harness.python(copy, "ours", copy.parent)
        commands["upstream"] = harness.python(copy, "upstream", copy.parent)
    results = harness.run(commands)
    remaining = harness.diagnostics(results["lint"])

    applicable = [
        d
        for d in remaining
        if d["fix"] and d["fix"]["applicability"] in ({"safe", "unsafe"} if unsafe else {"safe"})
    ]
    assert not applicable, f"fixes left unapplied: {applicable}"
    migrated = not hand_edits(remaining, unsafe=True) and not any(
        d["code"].startswith("WSU1") for d in remaining
    )
    if program.group == "auto" and unsafe:
        assert migrated, f"not migrated: {remaining}"
        assert {d["code"] for d in remaining} == program.remaining, fixed
    if not migrated:
        # Every hand edit is still reported (an import's hint may go with the code using it).
        left = {code for code in hand_edits(before, unsafe=unsafe) if not code.startswith("WSU1")}
        assert left <= {d["code"] for d in remaining}, fixed
    if not changed:
        return  # test_legacy_program runs it as it is
    expected = program.expected_fixed if migrated else program.expected
    assert_ran(results["ours"], expected, "fixed program on websockets_impl")
    assert_ran(results["upstream"], expected, "fixed program on upstream websockets")
    if program.known_gaps and migrated:
        if results["ours"].records:
            pytest.xfail("; ".join(program.known_gaps))
        pytest.fail(f"known gap closed, remove '# known-gap:' from {program.path.name}")
    if migrated:
        assert_no_warnings(results["ours"], "fixed program on websockets_impl")
        assert_no_warnings(results["upstream"], "fixed program on upstream websockets")
    else:
        # Held back: still legacy, warning no more than the program did.
        undeclared = [
            m for m in results["ours"].deprecations if not any(t in m for t in program.warnings)
        ]
        assert not undeclared, f"undeclared DeprecationWarnings: {undeclared}"


@pytest.mark.parametrize("program", MANUAL, ids=ids(MANUAL))
def test_migrated_program(program: Program, tmp_path: Path) -> None:
    """(c) and (e) for manual programs: the hand-migrated version, on both implementations."""
    migrated = program.migrated_path
    copy = harness.copy_program(program, tmp_path, migrated)
    results = harness.run(
        {
            "ours": harness.python(migrated, "ours", tmp_path),
            "upstream": harness.python(migrated, "upstream", tmp_path),
            "lint": harness.lint(copy, program, tmp_path),
        }
    )
    expected = program.expected
    assert_ran(results["ours"], expected, "migrated program on websockets_impl")
    assert_no_warnings(results["ours"], "migrated program on websockets_impl")
    assert_ran(results["upstream"], expected, "migrated program on upstream websockets")
    assert_no_warnings(results["upstream"], "migrated program on upstream websockets")
    assert harness.diagnostics(results["lint"], copy) == []
