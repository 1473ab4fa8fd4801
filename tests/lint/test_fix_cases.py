"""Golden fix cases: every fixable rule's fix, applied alone, gives exactly the expected text.

``fix_cases/WSUxxx.py`` (and variants ``WSUxxx_<what>.py``) is fixed with only rule WSUxxx
selected, unsafe fixes included, plus the file's first-line ``# wsu:`` directive; the result
must be ``fix_cases/WSUxxx_<what>.fixed.py`` to the character. Each case also checks that the
result compiles, that fixing it again changes nothing, and that the rule's declared fix
availability and applicability match what it did on the input.

A ``WSUxxx_held`` case is a module whose migration unit (``lint_plugin.units``) is held back
by a use no fix can migrate: its switch fixes become hints that say why ("not migrated:
..."), and only the fixes right on both implementations apply.

"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lint_plugin.engine import check_source
from lint_plugin.fixes import FixResult, fix_source
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules import ALL_RULES, RULES_BY_CODE
from lint_plugin.settings import Settings
from tests.lint.expectations import settings_for

CASES = Path(__file__).parent / "fix_cases"
FIXED_SUFFIX = ".fixed.py"

FIXABLE: tuple[str, ...] = tuple(
    rule.spec.code for rule in ALL_RULES if rule.spec.fix_availability is not FixAvailability.NONE
)


def _case_names() -> list[str]:
    return sorted(
        path.name.removesuffix(".py")
        for path in CASES.glob("WSU*.py")
        if not path.name.endswith(FIXED_SUFFIX)
    )


CASE_NAMES = _case_names()


def _code(case: str) -> str:
    return case.partition("_")[0]


def _settings(source: str, code: str) -> Settings:
    return settings_for(source, select=(code,))


def _input(case: str) -> str:
    return (CASES / f"{case}.py").read_text("utf-8")


def _expected(case: str) -> str:
    return (CASES / f"{case}{FIXED_SUFFIX}").read_text("utf-8")


def _diagnostics(source: str, code: str) -> list[Diagnostic]:
    result = check_source(source, settings=_settings(source, code))
    assert result.syntax_error is None, result.syntax_error
    return [d for d in result.diagnostics if d.code == code]


def _fix(source: str, code: str, *, unsafe: bool = True) -> FixResult:
    return fix_source(source, _settings(source, code), unsafe=unsafe)


def _module_bindings(source: str) -> dict[str, set[str]]:
    """What each top-level name is bound to: the imported object, or ``<local>``."""
    found: dict[str, set[str]] = {}
    for stmt in ast.parse(source).body:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                # ``import a.b`` binds ``a`` to package ``a``, as ``import a`` does.
                target = alias.name if alias.asname else alias.name.partition(".")[0]
                found.setdefault(alias.asname or target, set()).add(target)
        elif isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                target = f"{'.' * stmt.level}{stmt.module or ''}.{alias.name}"
                found.setdefault(alias.asname or alias.name, set()).add(target)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.setdefault(stmt.name, set()).add("<local>")
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target_node in targets:
                if isinstance(target_node, ast.Name):
                    found.setdefault(target_node.id, set()).add("<local>")
    return found


def _shadowed(before: str, after: str) -> list[str]:
    """Names the fix binds at the top level to a second object (an import shadowing another)."""
    old, new = _module_bindings(before), _module_bindings(after)
    return sorted(
        name for name, targets in new.items() if len(targets) > max(len(old.get(name, ())), 1)
    )


# Checks shared by the good cases and the known-wrong ones -------------------------------


def _is_held(case: str) -> bool:
    return case.endswith("_held")


def check_fixed_output(case: str) -> None:
    code, source = _code(case), _input(case)
    result = _fix(source, code)
    assert result.source == _expected(case)
    compile(result.source, f"{case}{FIXED_SUFFIX}", "exec")  # also what ast.parse lets through
    assert result.converged, result.non_converging
    assert result.rejected == ()
    assert result.inconsistent == ()
    assert result.syntax_error is None
    if _is_held(case):
        held = [d for d in result.remaining if "(not migrated: " in d.message]
        assert held, f"{case}.py: nothing says why the unit is held back"
        assert set(result.applied) <= {code}, result.applied
    else:
        # A unit case (`# wsu: extend-select=WSU101`) also applies the switch it needs.
        # (`extend-select=WSU5`, a prefix, only enables opt-in rules.)
        switches = {c for c in _settings(source, code).extend_select if c in RULES_BY_CODE}
        assert set(result.applied) == {code, *switches}, result.applied
    assert _shadowed(source, result.source) == []


def check_idempotent(case: str) -> None:
    code, expected = _code(case), _expected(case)
    again = _fix(expected, code)
    assert again.source == expected
    assert not again.applied
    applicable = [
        d for d in _diagnostics(expected, code) if d.fix and d.fix.is_applicable(unsafe=True)
    ]
    assert applicable == [], [f"{d.start}: {d.message}" for d in applicable]


def check_availability(case: str) -> None:
    code = _code(case)
    spec = RULES_BY_CODE[code].spec
    diagnostics = _diagnostics(_input(case), code)
    assert diagnostics, f"{case}.py raises no {code}"
    if _is_held(case):
        return  # a held unit offers hints where the rule usually fixes
    fixed = [d for d in diagnostics if d.fix is not None and d.fix.edits]
    hints = [d for d in diagnostics if d not in fixed]
    if spec.fix_availability is FixAvailability.ALWAYS:
        assert hints == [], [f"{d.start}: hint only" for d in hints]
    else:
        assert fixed, f"{case}.py: no {code} fix offered (the rule is SOMETIMES)"
        # The held case of the code shows it hint-only.
        assert hints or (CASES / f"{code}_held.py").is_file(), (
            f"{case}.py: every {code} has a fix; add a case where none is offered"
        )
    for diagnostic in fixed:
        assert diagnostic.fix is not None
        assert diagnostic.fix.applicability in {Applicability.SAFE, Applicability.UNSAFE}
    for diagnostic in hints:
        assert diagnostic.fix is None or diagnostic.fix.applicability is (
            Applicability.DISPLAY_ONLY
        )
    used = {d.fix.applicability for d in fixed if d.fix is not None}
    assert spec.applicability in used, f"{code} declares {spec.applicability}, used {used}"


def check_safe_only(case: str) -> None:
    code, source = _code(case), _input(case)
    fixes = [d.fix for d in _diagnostics(source, code) if d.fix is not None and d.fix.edits]
    result = _fix(source, code, unsafe=False)
    if all(fix.applicability is Applicability.UNSAFE for fix in fixes):
        assert result.source == source
        assert not result.applied
    else:
        assert result.applied[code] > 0
        assert set(result.applied) == {code}


# Tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", FIXABLE)
def test_every_fixable_rule_has_a_case(code: str) -> None:
    assert (CASES / f"{code}.py").is_file(), f"write fix_cases/{code}.py"
    assert (CASES / f"{code}{FIXED_SUFFIX}").is_file(), f"write fix_cases/{code}{FIXED_SUFFIX}"


def test_every_case_is_complete_and_belongs_to_a_fixable_rule() -> None:
    assert CASE_NAMES
    for case in CASE_NAMES:
        assert _code(case) in FIXABLE, f"{case}.py: {_code(case)} is not a fixable rule"
        assert (CASES / f"{case}{FIXED_SUFFIX}").is_file(), f"{case}.py has no expected output"
    orphans = {
        path.name
        for path in CASES.glob(f"*{FIXED_SUFFIX}")
        if path.name.removesuffix(FIXED_SUFFIX) not in CASE_NAMES
    }
    assert not orphans


@pytest.mark.parametrize("case", CASE_NAMES)
def test_fixed_output(case: str) -> None:
    check_fixed_output(case)


@pytest.mark.parametrize("case", CASE_NAMES)
def test_fix_is_idempotent(case: str) -> None:
    check_idempotent(case)


@pytest.mark.parametrize("case", CASE_NAMES)
def test_declared_availability_and_applicability(case: str) -> None:
    check_availability(case)


@pytest.mark.parametrize("case", CASE_NAMES)
def test_without_unsafe_fixes(case: str) -> None:
    check_safe_only(case)


# Problems the golden files cannot show ---------------------------------------------

KEYWORD_CONFLICTS = {
    "WSU401": (
        "from websockets.asyncio.client import connect\n"
        "\n"
        "\n"
        "async def fetch(uri):\n"
        '    async with connect(uri, user_agent_header=None, extra_headers={"User-Agent": "x"})'
        " as ws:\n"
        "        return await ws.recv()\n"
    ),
    "WSU402": (
        "from websockets.asyncio.server import serve\n"
        "\n"
        "\n"
        "async def main(handler):\n"
        '    async with serve(handler, server_header=None, extra_headers={"Server": "x"}):\n'
        "        pass\n"
    ),
}


@pytest.mark.parametrize("code", sorted(KEYWORD_CONFLICTS))
def test_fix_never_repeats_a_keyword(code: str) -> None:
    source = KEYWORD_CONFLICTS[code]
    result = _fix(source, code)
    compile(result.source, "<fixed>", "exec")


NAME_TAKEN = {
    "WSU202": (
        "from app.fsm import State\n"
        "from websockets.asyncio.client import ClientConnection\n"
        "\n"
        "\n"
        "def finished(ws: ClientConnection, phase) -> bool:\n"
        "    return phase is State.OVER or ws.closed\n"
    ),
    "WSU411": (
        "from app.security import basic_auth\n"
        "from websockets.asyncio.server import serve\n"
        "from websockets.legacy.auth import basic_auth_protocol_factory\n"
        "\n"
        "\n"
        "async def main(handler):\n"
        "    async with serve(\n"
        "        handler,\n"
        '        create_protocol=basic_auth_protocol_factory("ops", credentials=("a", "b")),\n'
        "    ):\n"
        "        pass\n"
    ),
}


@pytest.mark.parametrize("code", sorted(NAME_TAKEN))
def test_added_import_never_shadows_a_name(code: str) -> None:
    source = NAME_TAKEN[code]
    result = _fix(source, code)
    assert _shadowed(source, result.source) == []


HINT_ONLY_UNDER_ALWAYS = {
    "WSU201": (
        "from websockets.asyncio.client import ClientConnection\n"
        "\n"
        "\n"
        "def fake_closed(ws: ClientConnection) -> None:\n"
        "    ws.open = False\n"
    ),
    "WSU203": (
        "from websockets.asyncio.server import ServerConnection\n"
        "\n"
        "\n"
        "def reroute(ws: ServerConnection) -> None:\n"
        '    ws.path = "/v2" + ws.path\n'
    ),
    "WSU403": (
        "from websockets.asyncio.server import serve\n"
        "\n"
        "\n"
        "async def main(handler):\n"
        '    options = {"host": "", "port": 8765}\n'
        '    options["ws_handler"] = handler\n'
        "    async with serve(**options):\n"
        "        pass\n"
    ),
}


@pytest.mark.parametrize("code", sorted(HINT_ONLY_UNDER_ALWAYS))
def test_always_means_every_occurrence(code: str) -> None:
    spec = RULES_BY_CODE[code].spec
    diagnostics = _diagnostics(HINT_ONLY_UNDER_ALWAYS[code], code)
    assert diagnostics
    if spec.fix_availability is FixAvailability.ALWAYS:
        assert all(d.fix is not None and d.fix.edits for d in diagnostics)


SHIMMED = (
    "import os\n"
    "\n"
    'if os.environ.get("USE_SHIM"):\n'
    "    import json as websockets\n"
    "else:\n"
    "    import websockets\n"
    "\n"
    "\n"
    "def is_server(connection):\n"
    "    return isinstance(connection, websockets.WebSocketServerProtocol)\n"
    "\n"
    "\n"
    "async def main(handler):\n"
    '    return await websockets.serve(handler, "", 0)\n'
)


@pytest.mark.parametrize("target", ["13.0", "17.4"])
def test_no_rewrite_through_a_name_that_may_be_a_shim(target: str) -> None:
    """``websockets`` bound to another module on one branch (aiocoap's pyodide shim): the
    new names may not exist there, so the chains are reported, not rewritten."""
    settings = settings_for(f"# wsu: target-version={target}\n{SHIMMED}", select=("WSU",))
    result = fix_source(SHIMMED, settings, unsafe=True)
    found = {d.code for d in check_source(SHIMMED, settings=settings).diagnostics}
    assert "WSU103" in found
    assert result.source == SHIMMED
