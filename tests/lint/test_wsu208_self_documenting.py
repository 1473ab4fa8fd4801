"""WSU208 in a self-documenting f-string field: the fix would change the printed text."""

from __future__ import annotations

from lint_plugin.engine import check_source
from lint_plugin.fixes import fix_source
from lint_plugin.model import Applicability
from lint_plugin.settings import Settings

SOURCE = """\
from websockets.exceptions import ConnectionClosed

async def consume(websocket):
    try:
        await websocket.recv()
    except ConnectionClosed as exc:
        print(f"{exc.code=}")
        print(f"{exc.code = }", f"{exc.code + 1=:>5}")
        print(f"code={exc.code}", f"{exc.code}")
"""
SETTINGS = Settings(select=("WSU208",))


def test_the_fix_is_unsafe_only_in_self_documenting_fields() -> None:
    diagnostics = check_source(SOURCE, settings=SETTINGS).diagnostics
    found = [
        (d.start.line, d.start.column, d.fix.applicability if d.fix else None) for d in diagnostics
    ]
    assert found == [
        (7, 17, Applicability.UNSAFE),
        (8, 17, Applicability.UNSAFE),
        (8, 35, Applicability.UNSAFE),
        (9, 22, Applicability.SAFE),
        (9, 37, Applicability.SAFE),
    ]


def test_safe_fixes_leave_what_is_printed_alone() -> None:
    fixed = fix_source(SOURCE, SETTINGS, unsafe=False).source
    assert 'print(f"{exc.code=}")' in fixed
    assert 'print(f"{exc.code = }", f"{exc.code + 1=:>5}")' in fixed
    assert (
        'print(f"code={exc.rcvd.code if exc.rcvd else 1006}", '
        'f"{exc.rcvd.code if exc.rcvd else 1006}")'
    ) in fixed
