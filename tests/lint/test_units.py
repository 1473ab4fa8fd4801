"""Migration units (``lint_plugin.units``): all of a unit's fixes or none, and why."""

from __future__ import annotations

import re

import pytest

from lint_plugin import fixes, units
from lint_plugin.engine import CheckResult, check_source
from lint_plugin.fixes import LineIndex, fix_source
from lint_plugin.model import Applicability, Diagnostic, Edit, Fix, Position
from lint_plugin.settings import Settings

SERVER = """\
from websockets.legacy.client import connect
from websockets.legacy.server import WebSocketServerProtocol, serve


class Counting(WebSocketServerProtocol):
    def connection_made(self, transport):
        super().connection_made(transport)


async def echo(websocket, path):
    await websocket.send(path)


async def talk(uri):
    async with connect(uri, extra_headers={"X-A": "1"}) as websocket:
        return await websocket.recv()


async def main():
    async with serve(echo, "", 0, create_protocol=Counting, timeout=5):
        pass
"""


def by_line(result: CheckResult | list[Diagnostic], code: str, line: int) -> Diagnostic:
    found = result.diagnostics if isinstance(result, CheckResult) else result
    (diagnostic,) = [d for d in found if d.code == code and d.start.line == line]
    return diagnostic


def test_an_unfixable_use_holds_back_its_unit_and_says_why() -> None:
    result = check_source(SERVER)
    switch = by_line(result, "WSU101", 2)
    assert switch.fix is not None and switch.fix.applicability is Applicability.DISPLAY_ONLY
    assert (
        "(not migrated: `serve()` at line 20 passes `create_protocol=Counting` "
        "(WSU304 needs a hand edit)" in switch.message
    )
    handler = by_line(result, "WSU301", 10)
    assert handler.fix is not None and not handler.fix.edits
    assert "not migrated:" in handler.message


def test_the_other_units_and_the_fixes_right_on_both_still_apply() -> None:
    fixed = fix_source(SERVER, Settings(), unsafe=True)
    assert "from websockets.asyncio.client import connect" in fixed.source
    assert 'additional_headers={"X-A": "1"}' in fixed.source
    assert "close_timeout=5" in fixed.source  # WSU406: right on both implementations
    assert "from websockets.legacy.server import WebSocketServerProtocol, serve" in fixed.source
    assert "async def echo(websocket, path):" in fixed.source
    assert fixed.converged and fixed.inconsistent == ()
    remaining = {d.code for d in fixed.remaining}
    assert {"WSU101", "WSU301", "WSU304", "WSU404"} <= remaining


def test_a_unit_shares_one_fix_with_every_edit() -> None:
    result = check_source(SERVER)
    client = [d for d in result.diagnostics if d.fix is not None and d.fix.unit is not None]
    assert {d.code for d in client} == {"WSU101", "WSU401"}
    (edits,) = {d.fix.edits for d in client if d.fix is not None}
    assert len(edits) == 2


def test_safe_fixes_only_apply_no_unit_whose_switch_is_unsafe() -> None:
    fixed = fix_source(SERVER, Settings(), unsafe=False)
    assert "extra_headers=" in fixed.source
    assert "from websockets.legacy.client import connect" in fixed.source
    assert "close_timeout=5" in fixed.source


def test_a_rule_left_out_of_the_selection_holds_back_the_unit() -> None:
    source = SERVER.replace("create_protocol=Counting, ", "").replace(
        "WebSocketServerProtocol, ", ""
    )
    source = source[: source.index("class Counting")] + source[source.index("async def echo") :]
    selected = Settings(select=("WSU101",))
    result = check_source(source, settings=selected)
    assert [d.code for d in result.diagnostics] == ["WSU101", "WSU101"]
    assert all(d.fix is not None and not d.fix.edits for d in result.diagnostics)
    assert "(WSU401 needs a hand edit)" in result.diagnostics[0].message
    everything = fix_source(source, Settings(), unsafe=True)
    assert "from websockets.asyncio.server import serve" in everything.source


def test_noqa_on_one_member_holds_back_the_unit() -> None:
    source = SERVER.replace("extra_headers={", "extra_headers={  # noqa: WSU401\n        ")
    result = check_source(source)
    switch = by_line(result, "WSU101", 1)
    assert switch.fix is not None and not switch.fix.edits
    assert "WSU401 at line 15 is suppressed by `noqa`" in switch.message


def test_an_already_new_module_is_fixed_rule_by_rule() -> None:
    source = (
        "from websockets.asyncio.client import connect\n\n\n"
        "async def talk(uri):\n"
        '    async with connect(uri, extra_headers={"X-A": "1"}) as ws:\n'
        "        return ws.open\n"
    )
    result = check_source(source)
    assert {d.code for d in result.diagnostics} == {"WSU201", "WSU401"}
    assert all(d.fix is not None and d.fix.unit is None for d in result.diagnostics)


def test_the_fixer_leaves_out_a_pass_that_mixes_implementations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Without units, the import fix would move connect() and leave `extra_headers=` on it
    # when WSU401 is not selected: the re-check of the pass refuses it.
    def no_units(ctx: object, selected: list[Diagnostic], others: object) -> units.Outcome:
        return units.Outcome(selected, original(ctx, selected, others).mixed)  # type: ignore[arg-type]

    original = units.group
    monkeypatch.setattr(units, "group", no_units)
    source = SERVER.replace("create_protocol=Counting, ", "")
    source = source[: source.index("class Counting")] + source[source.index("async def echo") :]
    fixed = fix_source(source, Settings(select=("WSU101",)), unsafe=True)
    assert fixed.inconsistent == ("WSU101",)
    assert "from websockets.legacy.client import connect" in fixed.source


def test_a_fix_whose_finding_stays_where_it_was_is_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A fix that rewrites what it flags into something it flags again, reported on the
    # statement (as WSU302 once did with `request.headers`, reported on the function): the
    # pass is tried again without it.
    def linter(source: str, **_: object) -> CheckResult:
        index = LineIndex(source)
        found = []
        for match in re.finditer(r"\bheaders\b", source):
            start, end = index.position(match.start()), index.position(match.end())
            fix = Fix((Edit(start, end, "request.headers"),), Applicability.SAFE, "rewrite")
            statement = Position(start.line, 0)
            found.append(Diagnostic("X1", "x1", "legacy headers", statement, end, fix=fix))
        return CheckResult(diagnostics=found)

    monkeypatch.setattr(fixes, "check_source", linter)
    result = fix_source("x = headers\n", Settings(), unsafe=False)
    assert result.source == "x = headers\n"
    assert result.non_converging == ("X1",)
    assert not result.converged


def test_positions_map_through_the_edits_of_a_pass() -> None:
    spans = [fixes._Span(0, 1, "abc"), fixes._Span(4, 6, "")]
    assert fixes._moved_offset(0, spans) == 0
    assert fixes._moved_offset(2, spans) == 4
    assert fixes._moved_offset(5, spans) == 6
    assert fixes._moved_offset(7, spans) == 7
    assert Position(1, 0) < Position(1, 1)


CHOSEN = """\
from websockets.legacy.client import Connect


async def run(uri, proxy_connect, use_proxy):
    connect = proxy_connect if use_proxy else Connect
    async with connect(uri, extra_headers={"a": "b"}) as ws:
        return ws.open
"""


def test_a_callee_chosen_at_run_time_holds_its_call_back() -> None:
    fixed = fix_source(CHOSEN, Settings(), unsafe=True)

    assert fixed.source == CHOSEN
    reported = by_line(check_source(CHOSEN), "WSU401", 6)
    assert "calls `connect`, chosen at line 5 (`proxy_connect if use_proxy else Connect`)" in (
        reported.message
    )
