"""WSU411 on ``BasicAuthWebSocketServerProtocol`` subclasses: which shapes become
``process_request=basic_auth(...)``, and the reason given for those that do not."""

from __future__ import annotations

import pytest

from lint_plugin.engine import check_source
from lint_plugin.fixes import fix_source
from lint_plugin.model import Diagnostic
from lint_plugin.settings import Settings

HEADER = """\
from websockets.legacy.auth import BasicAuthWebSocketServerProtocol
from websockets.legacy.server import serve

REALM = "r"


async def health(path, request_headers):
    return None


async def handler(websocket):
    await websocket.send("hi")


"""

SERVE = """

async def main():
    async with serve(handler, create_protocol=Desk):
        pass
"""

CHECK = """\
    async def check_credentials(self, username, password):
        return username == password
"""

SETTINGS = Settings(target_version=(17, 4))


def _wsu411(source: str) -> list[Diagnostic]:
    result = check_source(source, settings=SETTINGS)
    assert result.syntax_error is None
    return [d for d in result.diagnostics if d.code == "WSU411"]


REFUSED = {
    "realm-not-literal": (
        f"class Desk(BasicAuthWebSocketServerProtocol):\n    realm = REALM\n\n{CHECK}{SERVE}",
        "`Desk.realm` is not a string literal",
    ),
    "sync-check": (
        "class Desk(BasicAuthWebSocketServerProtocol):\n"
        "    def check_credentials(self, username, password):\n"
        "        return True\n" + SERVE,
        "`Desk.check_credentials` is not a plain `async def`",
    ),
    "self-state": (
        "class Desk(BasicAuthWebSocketServerProtocol):\n"
        "    async def check_credentials(self, username, password):\n"
        '        return self.path == "/" + username\n' + SERVE,
        "`Desk.check_credentials` uses `self`",
    ),
    "super": (
        "class Desk(BasicAuthWebSocketServerProtocol):\n"
        "    async def check_credentials(self, username, password):\n"
        "        return await super().check_credentials(username, password)\n" + SERVE,
        "`Desk.check_credentials` uses `super`",
    ),
    "other-member": (
        "class Desk(BasicAuthWebSocketServerProtocol):\n"
        f"{CHECK}\n"
        "    def describe(self):\n"
        "        return self.username\n" + SERVE,
        "`Desk` defines `describe`",
    ),
    "no-override": (
        'class Desk(BasicAuthWebSocketServerProtocol):\n    realm = "desk"\n' + SERVE,
        "`Desk` does not override `check_credentials`",
    ),
    "process-request-too": (
        f"class Desk(BasicAuthWebSocketServerProtocol):\n{CHECK}"
        + SERVE.replace("create_protocol=Desk", "create_protocol=Desk, process_request=health"),
        "also passes `process_request=`",
    ),
    "other-use": (
        f"class Desk(BasicAuthWebSocketServerProtocol):\n{CHECK}{SERVE}\n\n"
        "def is_desk(websocket):\n    return isinstance(websocket, Desk)\n",
        "`Desk` is used at line ",
    ),
    "not-passed": (
        f"class Desk(BasicAuthWebSocketServerProtocol):\n{CHECK}",
        "`Desk` is not passed to `serve()` in this module",
    ),
    "realm-read": (
        f"class Desk(BasicAuthWebSocketServerProtocol):\n{CHECK}{SERVE}\n\n"
        "def realm_of(websocket):\n    return websocket.realm\n",
        "`.realm` is read at line ",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_shapes_get_a_hint_saying_why(case: str) -> None:
    body, reason = REFUSED[case]
    source = HEADER + body
    [diagnostic] = _wsu411(source)
    _, _, why = diagnostic.message.partition("(no automatic fix: ")
    assert reason in why
    assert diagnostic.fix is not None and not diagnostic.fix.edits
    fixed = fix_source(source, SETTINGS, unsafe=True)
    assert "class Desk(BasicAuthWebSocketServerProtocol):" in fixed.source
    assert fixed.source.count("create_protocol=Desk") == source.count("create_protocol=Desk")
    assert "basic_auth" not in fixed.source


def test_subclass_passed_to_two_servers_becomes_one_function() -> None:
    source = HEADER + (
        "class Desk(BasicAuthWebSocketServerProtocol):\n"
        "    # Agents only.\n"
        '    realm = "desk"\n'
        f"{CHECK}\n\n"
        "async def main():\n"
        "    async with serve(handler, port=1, create_protocol=Desk), serve(\n"
        "        handler, port=2, klass=Desk\n"
        "    ):\n"
        "        pass\n"
    )
    [diagnostic] = _wsu411(source)
    assert diagnostic.fix is not None and diagnostic.fix.edits
    fixed = fix_source(source, SETTINGS, unsafe=True).source
    call = 'process_request=basic_auth(realm="desk", check_credentials=check_credentials)'
    assert fixed.count(call) == 2
    assert (
        "# Agents only.\n"
        "async def check_credentials(username, password):\n"
        "    return username == password\n"
    ) in fixed
    assert "BasicAuthWebSocketServerProtocol" not in fixed
    assert "from websockets.asyncio.server import serve\n" in fixed
    compile(fixed, "<fixed>", "exec")
    assert _wsu411(fixed) == []


def test_function_name_avoids_names_the_module_uses() -> None:
    source = HEADER + (
        "def check_credentials(username):\n"
        "    return True\n\n\n"
        "class FrontDesk(BasicAuthWebSocketServerProtocol):\n"
        "    async def check_credentials(self, username, password):\n"
        "        return check_credentials(username)\n" + SERVE.replace("Desk", "FrontDesk")
    )
    fixed = fix_source(source, SETTINGS, unsafe=True).source
    assert "async def front_desk_check_credentials(username, password):\n" in fixed
    assert "check_credentials=front_desk_check_credentials)" in fixed
    assert "def check_credentials(username):\n" in fixed
