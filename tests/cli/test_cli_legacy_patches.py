"""A module patching a legacy object, or a test mocking one, holds back every switch of the
project: code moved to the new implementation alone would no longer run the patch or meet
the mock (``units.held_by_project``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from lint_plugin.cli.project_index import may_patch
from tests.cli.helpers import write, wsu

CLIENT = """\
from websockets.legacy.client import connect


async def main(uri):
    async with connect(uri) as websocket:
        await websocket.send("hi")
"""

PATCHES = {
    "assignment": "import websockets.legacy.client\n\n"
    "websockets.legacy.client.Connect.__aiter__ = None\n",
    "from-import": "from websockets.legacy.client import Connect\n\nConnect.retries: int = 3\n",
    "setattr": "from websockets.legacy import protocol\n\n"
    "setattr(protocol.WebSocketCommonProtocol, 'ping_interval', None)\n",
    "module function": "import websockets.legacy.client as legacy\n\nlegacy.connect = None\n",
    "mock.patch": "from unittest import mock\n\n@mock.patch('websockets.legacy.client.connect')\n"
    "def test_main(connect):\n    pass\n",
    "patch.object": "from unittest.mock import patch\nimport websockets.legacy.client as legacy\n"
    "patched = patch.object(legacy.Connect, '__aenter__')\n",
    "monkeypatch, by path": "def test_main(monkeypatch):\n    monkeypatch.setenv('A', '1')\n"
    "    monkeypatch.setattr('app.websockets.legacy.client.connect', None)\n",
}


@pytest.mark.parametrize("form", PATCHES)
def test_a_patch_in_another_module_holds_the_client_back(form: str, tmp_path: Path) -> None:
    write(tmp_path, {"client.py": CLIENT, "patch.py": PATCHES[form]})

    result = wsu("check", "--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)

    assert (tmp_path / "client.py").read_text() == CLIENT
    assert (tmp_path / "patch.py").read_text() == PATCHES[form]
    assert result.code == 1, result.stderr
    listed = wsu("check", "--no-cache", "--unsafe-fixes", "client.py", "patch.py", cwd=tmp_path)
    assert "is patched at patch.py:3, which code on the new implementation would not meet" in (
        listed.stdout
    )


def test_without_the_patch_the_client_moves(tmp_path: Path) -> None:
    write(tmp_path, {"client.py": CLIENT, "patch.py": "import websockets.legacy.client\n"})

    wsu("check", "--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)

    assert "websockets.asyncio.client import connect" in (tmp_path / "client.py").read_text()


def test_attributes_set_on_other_objects_are_no_patch(tmp_path: Path) -> None:
    other = "import websockets.legacy.client\n\n\nclass Pool:\n    connect = None\n\n\n"
    other += "Pool.connect = 1\nwebsockets_settings = object()\n"
    write(tmp_path, {"client.py": CLIENT, "other.py": other})

    wsu("check", "--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)

    assert "websockets.asyncio.client import connect" in (tmp_path / "client.py").read_text()


TOP_LEVEL_CLIENT = """\
import websockets


async def main(uri):
    async with websockets.connect(uri) as websocket:
        await websocket.send("hi")
"""

TOP_LEVEL_MOCK = """\
from unittest import mock


@mock.patch("websockets.connect")
def test_main(connect):
    pass
"""


@pytest.mark.parametrize(("target", "moves"), [("13.1", False), ("14.0", True)])
def test_a_mock_of_the_top_level_connect_holds_it_before_14(
    target: str, moves: bool, tmp_path: Path
) -> None:
    """Before 14.0, ``websockets.connect`` is the legacy one the fix moves away from: the
    test's mock would no longer replace what the client calls. From 14.0 it is already the
    new one: nothing moves, nothing is held."""
    write(tmp_path, {"client.py": TOP_LEVEL_CLIENT, "test_client.py": TOP_LEVEL_MOCK})

    listed = wsu(
        "check", "--no-cache", "--unsafe-fixes", "--target-version", target, ".", cwd=tmp_path
    )

    held = "`websockets.connect` is patched at test_client.py:4" in listed.stdout
    assert held is not moves, listed.stdout
    if target == "14.0":
        assert "WSU104" not in listed.stdout


def test_mocks_of_other_objects_are_no_patch(tmp_path: Path) -> None:
    mocks = (
        "from unittest import mock\nimport websockets\n\n"
        "@mock.patch('client.print')\n@mock.patch('websockets.exceptions.ConnectionClosed')\n"
        "def test_main(a, b):\n    mock.patch.object(websockets, 'ConnectionClosed')\n"
    )
    write(tmp_path, {"client.py": CLIENT, "test_client.py": mocks})

    wsu("check", "--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)

    assert "websockets.asyncio.client import connect" in (tmp_path / "client.py").read_text()


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("websockets.legacy.client.Connect.BACKOFF_MIN = 1\n", True),
        ("legacy_client.connect = fake\n", True),
        # An instance's own attribute patches no module object: not parsed for patches.
        ("self.connection = None\nself.server = server\n", False),
        ("cls.protocol = Protocol\n", False),
    ],
)
def test_the_patch_prefilter(text: str, parsed: bool) -> None:
    assert may_patch(text) is parsed


def test_the_patch_prefilter_is_linear_in_a_line_length() -> None:
    """A long line of names the prefilter looks for costs it time in proportion (a
    backtracking pattern took 5 s on 112 KB, and grew with the square)."""

    def cost(size: int) -> float:
        text = "connect" * (size // 7)
        return min(_timed(may_patch, text) for _ in range(3))

    small, large = cost(100_000), cost(400_000)
    assert large < 8 * small + 0.05, (small, large)


def _timed(function: Callable[[str], bool], text: str) -> float:
    start = time.perf_counter()
    function(text)
    return time.perf_counter() - start
