"""A legacy protocol subclass of one module, imported by another: its instances are
connections there (annotations, ``cast``), reported, and that module's fixes needing the
new implementation are held back (``Settings.legacy_classes``, ``wsu check`` only)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import write, wsu

PROTOCOL = """\
from websockets.legacy.client import WebSocketClientProtocol


class MyProto(WebSocketClientProtocol):
    async def hello(self):
        await self.send("hello")
"""

HOLDER = """\
from typing import Optional, cast

import websockets

from .protocol import MyProto


class Holder:
    def __init__(self, ws: Optional[MyProto]):
        self.ws = ws

    def is_closed(self):
        return self.ws.closed

    async def other(self, uri):
        plain = cast(MyProto, await websockets.connect(uri))
        return plain.open
"""


def _project(tmp_path: Path, protocol: str = PROTOCOL) -> None:
    write(tmp_path, {"pkg/__init__.py": "", "pkg/protocol.py": protocol, "pkg/holder.py": HOLDER})


def test_connections_typed_by_another_modules_legacy_subclass(tmp_path: Path) -> None:
    _project(tmp_path)

    listed = wsu(
        "check",
        "--no-cache",
        "--target-version",
        "13.0",
        "--unsafe-fixes",
        "--output-format",
        "concise",
        ".",
        cwd=tmp_path,
    )

    assert "pkg/holder.py:13:16: WSU202" in listed.stdout, listed.stdout
    assert "pkg/holder.py:17:16: WSU201" in listed.stdout, listed.stdout
    assert "`MyProto`, imported here, is a legacy protocol subclass" in listed.stdout


def test_their_module_is_not_migrated(tmp_path: Path) -> None:
    """``self.ws.state`` on a connection that stays legacy, and the module's own call moved
    while it casts its result to the legacy class: neither is written."""
    _project(tmp_path)

    wsu(
        "check",
        "--no-cache",
        "--target-version",
        "13.0",
        "--fix",
        "--unsafe-fixes",
        ".",
        cwd=tmp_path,
    )

    assert (tmp_path / "pkg/holder.py").read_text() == HOLDER


def test_the_cache_follows_the_other_module(tmp_path: Path) -> None:
    """Whether the holder's findings stand depends on the protocol module: a cached result
    is not reused once that module no longer derives from the legacy class."""
    _project(tmp_path)
    first = wsu(
        "check", "--target-version", "13.0", "--output-format", "concise", ".", cwd=tmp_path
    )
    assert "pkg/holder.py:13:16: WSU202" in first.stdout

    (tmp_path / "pkg/protocol.py").write_text(PROTOCOL.replace("(WebSocketClientProtocol)", ""))
    second = wsu(
        "check", "--target-version", "13.0", "--output-format", "concise", ".", cwd=tmp_path
    )

    assert "WSU202" not in second.stdout, second.stdout


CLIENTS = """\
from .protocol import MyProto


class Clients:
    def __init__(self):
        self._clients = {}

    def add(self, key, websocket: MyProto):
        self._clients[key] = websocket

    def stale(self):
        return [key for key in self._clients if self._clients[key].closed]
"""


def test_a_module_naming_only_the_subclass_is_checked(tmp_path: Path) -> None:
    """aio-rmq-wss-proxy: the module imports the legacy subclass from its sibling and never
    names websockets; the prefilter alone would leave it out."""
    write(tmp_path, {"pkg/__init__.py": "", "pkg/protocol.py": PROTOCOL, "pkg/clients.py": CLIENTS})
    result = wsu("check", "--no-cache", "--output-format", "concise", ".", cwd=tmp_path)
    assert "pkg/clients.py:12:49: WSU202" in result.stdout, result.stdout
    alone = wsu("check", "--no-cache", "pkg/clients.py", cwd=tmp_path)
    assert alone.code == 0 and "WSU" not in alone.stdout
    spread = CLIENTS.replace(
        "from .protocol import MyProto", "from .protocol import (\n    MyProto,\n)"
    )
    write(tmp_path, {"pkg/clients.py": spread})
    result = wsu("check", "--no-cache", "--output-format", "concise", ".", cwd=tmp_path)
    assert "pkg/clients.py:14:49: WSU202" in result.stdout, result.stdout
