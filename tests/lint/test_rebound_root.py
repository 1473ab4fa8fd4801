"""A module importing another module under websockets' name (aiocoap on Pyodide:
``import aiocoap.util.pyodide_websockets as websockets``) runs on either at run time: no
rewrite fits both, so every fix there is a hint."""

from __future__ import annotations

from lint_plugin.engine import check_source
from lint_plugin.settings import Settings

SOURCE = """\
from .defaults import is_pyodide

if is_pyodide:
    import aiocoap.util.pyodide_websockets as websockets
else:
    import websockets


async def alive(remote):
    return remote.connection.open


async def connect(uri):
    remote = Remote()
    remote.connection = await websockets.connect(uri)
    return remote


class Remote:
    connection: websockets.WebSocketClientProtocol
"""


def test_every_fix_is_a_hint() -> None:
    settings = Settings(target_version=(14, 0))
    found = check_source(SOURCE, settings=settings).diagnostics
    assert found
    assert all(d.fix is None or not d.fix.edits for d in found), found
    alone = check_source(
        SOURCE.replace("import aiocoap.util.pyodide_websockets as websockets", "pass"),
        settings=settings,
    ).diagnostics
    assert any(d.fix is not None and d.fix.edits for d in alone)
