"""The cache and the project index: a ``serve()`` module passing a handler imported from
another module is linted with the index on every run; one passing only its own handlers
is served from the cache."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import write, wsu

APP = """\
from handlers import echo
from websockets.legacy.server import serve


async def main():
    async with serve(echo, "127.0.0.1", 0):
        pass
"""
HANDLERS = "import websockets\n\nasync def echo(websocket, path):\n    await websocket.send(path)\n"
LOCAL = """\
from websockets.legacy.server import serve


async def echo(websocket, path):
    await websocket.send(path)


async def main():
    async with serve(echo, "127.0.0.1", 0):
        pass
"""


def findings(tmp_path: Path, *paths: str) -> tuple[list[tuple[str, str]], str]:
    result = wsu(
        "check", "--output-format", "json", "--exit-zero", "--verbose", *paths, cwd=tmp_path
    )
    found = [(item["filename"], item["code"]) for item in result.json()]
    return sorted(found), result.stderr


def test_a_serve_passing_an_imported_handler_is_linted_with_the_index_each_run(
    tmp_path: Path,
) -> None:
    write(tmp_path, {"app.py": APP, "handlers.py": HANDLERS})
    first, _ = findings(tmp_path, "app.py", "handlers.py")
    second, log = findings(tmp_path, "app.py", "handlers.py")
    assert second == first
    assert (str(tmp_path / "handlers.py"), "WSU301") in first
    assert "cached: 0" in log


def test_a_serve_passing_its_own_handler_is_served_from_the_cache(tmp_path: Path) -> None:
    write(tmp_path, {"local.py": LOCAL})
    first, _ = findings(tmp_path, "local.py")
    second, log = findings(tmp_path, "local.py")
    assert second == first and ("WSU301" in {code for _, code in first})
    assert "cached: 1" in log
