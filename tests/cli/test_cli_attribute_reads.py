"""A module keeping a connection in an attribute that another file reads a legacy-only
member of (``x.websocket.open``) holds its switches back: that file, not mentioning
websockets or not knowing what ``x`` is, is not fixed with it, and the migrated connection
would raise ``AttributeError`` there (pylamarzocco; ``cli/attribute_reads.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint_plugin.cli.attribute_reads import attribute_reads
from tests.cli.helpers import write, wsu

CLIENT = """\
# wsu: target-version=13.0
import websockets


class LocalClient:
    def __init__(self, uri):
        self.uri = uri
        self.websocket = None

    async def run(self):
        async with websockets.connect(self.uri) as websocket:
            self.websocket = websocket
            async for message in websocket:
                print(message)
"""

MACHINE = """\
from .client_local import LocalClient


class Machine:
    def __init__(self, local_client: LocalClient):
        self._local_client = local_client

    @property
    def connected(self):
        return bool(self._local_client.websocket and self._local_client.websocket.open)
"""


def test_a_read_in_a_file_without_websockets_holds_the_client_back(tmp_path: Path) -> None:
    write(
        tmp_path, {"pkg/__init__.py": "", "pkg/client_local.py": CLIENT, "pkg/machine.py": MACHINE}
    )

    result = wsu(
        "check", "--no-cache", "--fix", "--unsafe-fixes", "--target-version", "13.0", ".",
        cwd=tmp_path,
    )  # fmt: skip

    assert (tmp_path / "pkg/client_local.py").read_text() == CLIENT
    assert result.code == 1, result.stderr
    listed = wsu("check", "--no-cache", "--target-version", "13.0", ".", cwd=tmp_path)
    assert "not migrated: `pkg/machine.py:10` reads `.websocket.open`" in listed.stdout


def test_without_the_read_the_client_moves(tmp_path: Path) -> None:
    machine = MACHINE.replace(".websocket.open", ".websocket.state")
    write(
        tmp_path, {"pkg/__init__.py": "", "pkg/client_local.py": CLIENT, "pkg/machine.py": machine}
    )

    wsu(
        "check", "--no-cache", "--fix", "--unsafe-fixes", "--target-version", "13.0", ".",
        cwd=tmp_path,
    )  # fmt: skip

    assert "websockets.asyncio.client.connect" in (tmp_path / "pkg/client_local.py").read_text()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("x.ws.open", [("ws", "open")]),
        (
            "self.client.websocket.closed and a.b.request_headers",
            [("websocket", "closed"), ("b", "request_headers")],
        ),
        ("self.ws.open", []),  # the class's own read: its module follows it
        ("x.ws.opened, x.ws.path, x.ws.host", []),  # another name, or too common a member
    ],
)
def test_the_reads_found(text: str, found: list[tuple[str, str]]) -> None:
    reads = attribute_reads([("a.py", text)], [("/b.py", text.encode())], lambda p: p)
    assert [(attr, member) for attr, _, _, member in reads] == found * 2
    assert {shown for _, shown, _, _ in reads} == ({"a.py", "/b.py"} if found else set())
