"""A legacy ``serve()`` whose ``process_request`` / ``select_subprotocol`` is not a
function of the module the linter follows (``self.app.check``: automata-ws) keeps its
legacy signature unseen: the argument is reported, and the ``serve()`` stays legacy. Moved
alone, the new ``serve()`` would call ``check(connection, request)`` with the legacy
``check(path, request_headers)``: its HTTP endpoint answered 426 where it answered 200."""

from __future__ import annotations

from lint_plugin.fixes import fix_source
from lint_plugin.settings import Settings

RUNNER = """\
import websockets


class Runner:
    def __init__(self, app):
        self.app = app

    async def handler(self, websocket):
        await websocket.send("hi")

    async def run(self):
        async with websockets.serve(self.handler, "", 8765, process_request=self.app.check):
            pass
"""


def test_the_serve_stays_legacy_and_the_argument_is_reported() -> None:
    result = fix_source(RUNNER, Settings(target_version=(13, 0)), unsafe=True)
    assert result.source == RUNNER
    found = {d.code: d.message for d in result.remaining}
    assert "`self.app.check`, not a function of this module" in found["WSU302"]
    assert (
        "(not migrated: `serve()` at line 12 passes `process_request=self.app.check`"
        in (found["WSU104"])
    )


def test_a_followed_callback_is_not_reported_at_the_argument() -> None:
    local = RUNNER.replace("process_request=self.app.check", "process_request=check")
    local += "\n\nasync def check(connection, request):\n    return None\n"
    result = fix_source(local, Settings(target_version=(13, 0)), unsafe=True)
    assert "websockets.asyncio.server.serve(" in result.source
    assert not [d for d in result.remaining if d.code == "WSU302"]
