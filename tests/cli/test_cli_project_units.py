"""Units across modules (``cli/project_units.py``): a legacy ``serve()`` and the callbacks
another checked module defines for it are fixed together, and written together or not
at all."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.cli.helpers import write, wsu

APP = """\
from handlers import echo
from websockets.legacy.server import serve


async def main():
    async with serve(echo, "127.0.0.1", 0):
        pass
"""
HANDLERS = "async def echo(websocket, path):\n    await websocket.send(path)\n"

GATED = """\
from gates import gate, pick
from websockets.legacy.server import serve


async def room(websocket):
    await websocket.send("joined")


async def main():
    async with serve(room, "", 0, process_request=gate, select_subprotocol=pick):
        pass
"""
GATES = """\
def gate(path, request_headers):
    if path != "/chat":
        return 404, [], b"no such room\\n"


def pick(client_subprotocols, server_subprotocols):
    return client_subprotocols[0]
"""


def test_a_unit_file_that_cannot_be_written_restores_the_one_written_before(
    tmp_path: Path,
) -> None:
    write(tmp_path, {"app.py": APP, "handlers.py": HANDLERS})
    handlers = tmp_path / "handlers.py"
    handlers.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    # An old time stamp: a file written by the run, even if put back, has a new one.
    os.utime(tmp_path / "app.py", (1_000_000_000, 1_000_000_000))

    result = wsu("check", "--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)

    assert result.code == 2, result.stderr
    assert "handlers.py: fixes not written: the file is read-only" in result.stderr
    assert (
        "app.py: fixes not written: its fixes go with those of handlers.py, which could not "
        "be written" in result.stderr
    )
    # app.py comes first (files are taken in order): it was written, then put back.
    assert os.stat(tmp_path / "app.py").st_mtime > 1_000_000_000
    assert (tmp_path / "app.py").read_text("utf-8") == APP
    assert handlers.read_text("utf-8") == HANDLERS


def test_imported_process_request_and_select_subprotocol_move_with_their_serve(
    tmp_path: Path,
) -> None:
    write(tmp_path, {"app.py": GATED, "gates.py": GATES})

    result = wsu("check", "--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)

    assert result.code == 0, result.stdout + result.stderr
    assert "from websockets.asyncio.server import serve" in (tmp_path / "app.py").read_text()
    gates = (tmp_path / "gates.py").read_text("utf-8")
    assert "def gate(connection, request):" in gates
    assert 'return connection.respond(404, "no such room\\n")' in gates
    assert "def pick(connection, subprotocols):\n    return subprotocols[0]" in gates
    assert wsu("check", "--no-cache", ".", cwd=tmp_path).code == 0


def test_callbacks_read_through_their_module_move_with_their_serve(tmp_path: Path) -> None:
    """`import gates` then `process_request=gates.gate`: the same unit across modules (and
    with `app.py` alone, a hint at the argument and the `serve()` held)."""
    through_module = GATED.replace("from gates import gate, pick", "import gates").replace(
        "process_request=gate, select_subprotocol=pick",
        "process_request=gates.gate, select_subprotocol=gates.pick",
    )
    write(tmp_path, {"app.py": through_module, "gates.py": GATES})

    alone = wsu("check", "--no-cache", "--fix", "--unsafe-fixes", "app.py", cwd=tmp_path)
    assert (tmp_path / "app.py").read_text() == through_module
    assert "`gates.gate`, imported from `gates`" in alone.stdout
    result = wsu("check", "--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)

    assert result.code == 0, result.stdout + result.stderr
    assert "from websockets.asyncio.server import serve" in (tmp_path / "app.py").read_text()
    assert "def gate(connection, request):" in (tmp_path / "gates.py").read_text("utf-8")


def test_a_callback_also_passed_in_another_role_is_held(tmp_path: Path) -> None:
    twice = GATED.replace("process_request=gate", "process_request=gate, process_response=gate")
    write(tmp_path, {"app.py": twice, "gates.py": GATES})

    wsu("check", "--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)

    assert (tmp_path / "app.py").read_text("utf-8") == twice
    assert (tmp_path / "gates.py").read_text("utf-8") == GATES
    report = wsu("check", "--no-cache", "--output-format", "json", ".", cwd=tmp_path).json()
    [held] = [d for d in report if d["code"] == "WSU302"]
    assert "it is also passed to `serve()` as `process_response` in `app`" in held["message"]
