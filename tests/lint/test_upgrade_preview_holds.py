"""Below the version a fix needs, the finding shows the fix it will get once upgraded:
unless the upgraded check holds its unit back, in which case it says why, and shows no
half migration."""

from __future__ import annotations

from lint_plugin.engine import check_source
from lint_plugin.model import Fix
from lint_plugin.settings import Settings
from lint_plugin.upgrade import fixable_after_upgrade, waiting_for

HELD = """\
import websockets


async def forward(uri, **kwargs):
    async with websockets.connect(uri, **kwargs) as ws:
        if ws.open:
            await ws.send("hi")
"""

MOVES = """\
import websockets


async def hello(uri):
    async with websockets.connect(uri) as ws:
        if ws.open:
            await ws.send("hi")
"""


def _found(source: str, target: tuple[int, ...]) -> dict[str, tuple[str, Fix | None]]:
    result = check_source(source, filename="app.py", settings=Settings(target_version=target))
    return {d.code: (d.message, d.fix) for d in result.diagnostics}


def test_a_unit_held_once_upgraded_says_so_below_the_version() -> None:
    at_13 = _found(HELD, (13, 0))
    at_12 = _found(HELD, (12, 0))
    assert set(at_12) == set(at_13) == {"WSU104", "WSU201"}
    for code, (message, fix) in at_12.items():
        reason = at_13[code][0].split(" (not migrated: ", 1)[1]
        assert message.endswith(f" (not migrated: {reason}")
        assert waiting_for(message) == (13, 0)  # still says which version it needs
        assert fixable_after_upgrade(message, fix) is None  # not counted as fixable then
        assert fix is not None and not fix.edits  # no preview of the half migration


def test_a_unit_that_moves_once_upgraded_shows_its_fix() -> None:
    for code, (message, fix) in _found(MOVES, (12, 0)).items():
        assert " (not migrated: " not in message, code
        assert fixable_after_upgrade(message, fix) == (13, 0)
        assert fix is not None and fix.edits


HINT_ONCE_UPGRADED = """\
import websockets


class Transport:
    def __init__(self, uri, options=None):
        self.uri = uri
        self._options = options if options else {}

    async def open(self):
        return await websockets.connect(self.uri, **self._options)


class Client:
    def __init__(self, uri):
        self.transport = Transport(uri, options={"read_limit": 2**16})
"""


def test_a_finding_with_a_hint_once_upgraded_shows_no_fix_below_the_version() -> None:
    # bittensor-cli: `read_limit` in a dict the legacy call, held, gets through a
    # constructor; at 13.0 WSU408 has a hint only, so at 12.0 it is not "fixable after
    # upgrading" either.
    at_13 = _found(HINT_ONCE_UPGRADED, (13, 0))["WSU408"]
    message, fix = _found(HINT_ONCE_UPGRADED, (12, 0))["WSU408"]
    assert at_13[1] is None or not at_13[1].edits
    assert waiting_for(message) == (13, 0)
    assert fixable_after_upgrade(message, fix) is None
    assert fix is None or not fix.edits
