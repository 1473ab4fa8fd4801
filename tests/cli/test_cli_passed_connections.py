"""A connection passed to what another module of the project defines (redis-websocket-api:
the handler gives it to ``WebsocketHandler.create``, which keeps it and reads
``self.websocket.open``). The receiving module, even one never mentioning websockets, is
checked with the connection known (its legacy reads reported, their fixes held: the call
making the connection is migrated with its own file), and the module passing it holds its
own fixes while the receiving module reads legacy-only members."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import write, wsu

SERVER = """\
from websockets.legacy.server import serve

from pkg.handler import Session


class Server:
    handler_class = Session

    async def handler(self, websocket, path):
        session = await self.handler_class.create(websocket)
        await session.run()

    async def main(self):
        async with serve(self.handler, "127.0.0.1", 0):
            pass
"""

HANDLER = """\
class Session:
    def __init__(self, websocket):
        self.websocket = websocket

    @classmethod
    async def create(cls, websocket):
        return cls(websocket)

    async def run(self):
        if not self.websocket.open:
            return
        await self.websocket.send("hi")
"""

CLIENT = """\
import websockets

from .helpers import show


async def main(uri):
    async with websockets.connect(uri) as websocket:
        show(websocket)
"""

HELPERS = """\
def show(websocket):
    print(websocket.closed)
"""


def test_the_receiving_module_is_reported_and_both_are_held(tmp_path: Path) -> None:
    write(tmp_path, {"pkg/__init__.py": "", "pkg/server.py": SERVER, "pkg/handler.py": HANDLER})

    listed = wsu("check", "--no-cache", "--output-format", "concise", ".", cwd=tmp_path)
    fixed = wsu("check", "--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)

    assert "pkg/handler.py:10:16: WSU201" in listed.stdout, listed.stdout
    assert "`Session.create` is given its connection by `pkg.server` (line 10)" in listed.stdout
    assert "is in a module reading `.open` (line 10)" in listed.stdout
    assert fixed.code == 1, fixed.stderr
    assert (tmp_path / "pkg/server.py").read_text() == SERVER
    assert (tmp_path / "pkg/handler.py").read_text() == HANDLER


def test_a_helper_reading_nothing_legacy_holds_nothing(tmp_path: Path) -> None:
    handler = HANDLER.replace("if not self.websocket.open:", "if self.websocket is None:")
    write(tmp_path, {"pkg/__init__.py": "", "pkg/server.py": SERVER, "pkg/handler.py": handler})

    wsu("check", "--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)

    assert "websockets.asyncio.server" in (tmp_path / "pkg/server.py").read_text()
    assert (tmp_path / "pkg/handler.py").read_text() == handler


def test_a_function_given_the_connection_by_a_relative_import(tmp_path: Path) -> None:
    write(tmp_path, {"pkg/__init__.py": "", "pkg/client.py": CLIENT, "pkg/helpers.py": HELPERS})

    listed = wsu(
        "check", "--no-cache", "--target-version", "13.0", "--output-format", "concise", ".",
        cwd=tmp_path,
    )  # fmt: skip
    wsu("check", "--no-cache", "--fix", "--unsafe-fixes", "--target-version", "13.0", ".",
        cwd=tmp_path)  # fmt: skip

    assert "pkg/helpers.py:2:11: WSU202" in listed.stdout, listed.stdout
    assert (tmp_path / "pkg/client.py").read_text() == CLIENT
    assert (tmp_path / "pkg/helpers.py").read_text() == HELPERS


NEW_CLIENTS = """\
import websockets
import websockets.sync.client as sync_client

from .socket_client import AsyncSocketClient, SocketClient


def connect_sync(url):
    with sync_client.connect(url) as protocol:
        return SocketClient(websocket=protocol)


async def connect_async(url):
    async with websockets.connect(url) as protocol:
        return AsyncSocketClient(websocket=protocol)
"""

SOCKET_CLIENT = """\
import websockets


class AsyncSocketClient:
    def __init__(self, *, websocket: websockets.WebSocketClientProtocol):
        self._websocket = websocket


class SocketClient:
    def __init__(self, *, websocket):
        self._websocket = websocket
"""


def test_a_connection_of_the_new_implementation_passed_holds_nothing(tmp_path: Path) -> None:
    """sarvamai: the threading client's connection, and at 14.0 the top-level connect()'s,
    move nowhere: the receiving module's annotation is renamed (at 13.0 the connect() is
    the legacy one and moves with its own file: held)."""
    files = {"pkg/__init__.py": "", "pkg/client.py": NEW_CLIENTS}
    for target in ("13.0", "14.0"):
        root = tmp_path / target
        write(root, {**files, "pkg/socket_client.py": SOCKET_CLIENT})
        wsu("check", "--no-cache", "--fix", "--unsafe-fixes", "--target-version", target, ".",
            cwd=root)  # fmt: skip
        renamed = (
            "websocket: websockets.asyncio.client.ClientConnection"
            in (root / "pkg/socket_client.py").read_text()
        )
        assert renamed is (target == "14.0"), target


APP = """\
import websockets

import endpoint


async def handler(websocket):
    await websocket.send(await endpoint.handle(websocket))


async def main(port):
    async with websockets.serve(handler, "127.0.0.1", port):
        pass
"""

ENDPOINT = """\
import session


async def handle(websocket):
    return session.Session(websocket).xff
"""

SESSION = """\
class Session:
    def __init__(self, websocket):
        self.xff = websocket.request_headers.get("X-Forwarded-For")
"""


def test_a_connection_passed_on_through_a_second_module(tmp_path: Path) -> None:
    """wspg: the handler gives the connection to `endpoint.handle`, which gives it to
    `session.Session`, which reads `.request_headers`: reported there, and the `serve()`
    stays legacy (moved alone, the new connection lacks it: AttributeError, 1011)."""
    files = {"app.py": APP, "endpoint.py": ENDPOINT, "session.py": SESSION}
    write(tmp_path, files)
    options = ("check", "--no-cache", "--target-version", "13.0")

    listed = wsu(*options, "--output-format", "concise", ".", cwd=tmp_path)
    wsu(*options, "--fix", "--unsafe-fixes", ".", cwd=tmp_path)

    assert "session.py:3:20: WSU204" in listed.stdout, listed.stdout
    assert "which gives it to `session`, is in a module reading `.request_headers`" in (
        listed.stdout
    )
    assert {name: (tmp_path / name).read_text() for name in files} == files


def test_a_legacy_annotation_where_the_connection_goes_holds_both(tmp_path: Path) -> None:
    """sarvamai at 13.0: the receiving module only annotates the connection with the
    legacy class. Moving the `connect()` alone and holding the annotation needed a second
    `--fix` to finish (the annotation moved once the connection was new): both stay, and
    a second run changes nothing."""
    write(tmp_path, {"pkg/__init__.py": "", "pkg/client.py": NEW_CLIENTS})
    write(tmp_path, {"pkg/socket_client.py": SOCKET_CLIENT})
    options = ("check", "--no-cache", "--fix", "--unsafe-fixes", "--target-version", "13.0", ".")

    first = wsu(*options, cwd=tmp_path)
    assert "naming the legacy `WebSocketClientProtocol` (line 5)" in first.stdout + first.stderr
    assert (tmp_path / "pkg/client.py").read_text() == NEW_CLIENTS
    wsu(*options, cwd=tmp_path)
    assert (tmp_path / "pkg/socket_client.py").read_text() == SOCKET_CLIENT
