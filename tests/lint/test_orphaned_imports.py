"""Names a fix left imported for nothing are dropped once the fixes are done
(``lint_plugin/orphaned_imports.py``): pyflakes would report them (F401)."""

from __future__ import annotations

from lint_plugin.fixes import fix_source
from lint_plugin.orphaned_imports import orphaned_imports_dropped
from lint_plugin.settings import Settings

MODULES = ("websockets",)

HEADERS_ANNOTATION = """\
import http
from websockets.asyncio.server import serve
from websockets.http import Headers


async def check(path, request_headers: Headers):
    if not request_headers.get("Authorization"):
        return http.HTTPStatus.UNAUTHORIZED, {}, b""


async def main(handler):
    async with serve(handler, "127.0.0.1", 8765, process_request=check):
        pass
"""


def test_the_import_of_an_annotation_the_fix_dropped_goes() -> None:
    # websocks: WSU106 moves the import, WSU302 drops the annotation that used it.
    result = fix_source(HEADERS_ANNOTATION, Settings(target_version=(14, 0)), unsafe=True)
    assert set(result.applied) == {"WSU106", "WSU302"}
    assert "Headers" not in result.source
    assert "async def check(connection, request):" in result.source
    assert result.converged and not result.remaining


def test_only_names_the_fixes_orphaned_go() -> None:
    original = (
        "from websockets.exceptions import AbortHandshake, InvalidURI\n"
        "from websockets.datastructures import Headers\n"
        "from websockets.legacy.server import serve\n"
        "__all__ = ['serve']\n"
        "raise AbortHandshake(403, [], b'')\n"
        "Headers()\n"
    )
    fixed = original.replace("raise AbortHandshake(403, [], b'')\n", "")
    assert orphaned_imports_dropped(original, fixed, MODULES) == (
        "from websockets.exceptions import InvalidURI\n"
        "from websockets.datastructures import Headers\n"
        "from websockets.legacy.server import serve\n"
        "__all__ = ['serve']\n"
        "Headers()\n"
    )


def test_a_whole_statement_goes_when_all_its_names_do() -> None:
    original = "import os\nfrom websockets.http import Headers\n\ndef f(h: Headers): ...\n"
    fixed = "import os\nfrom websockets.datastructures import Headers\n\ndef f(h): ...\n"
    assert orphaned_imports_dropped(original, fixed, MODULES) == "import os\n\ndef f(h): ...\n"


TRY = "try:\n    from websockets.http import Headers\nexcept ImportError:\n    pass\n"


def test_what_is_left_alone() -> None:
    cases = [
        # Unused before the fixes: the project's own choice (a re-export, say).
        ("from websockets.http import Headers\n", "from websockets.http import Headers\n"),
        # Mentioned in a string or a comment: maybe used.
        (
            "from websockets.http import Headers\nHeaders()\n",
            "from websockets.http import Headers\n# Headers\n",
        ),
        # Not a target module, or not at the module level, or sharing its line.
        ("from os import path\npath\n", "from os import path\n"),
        (TRY + "Headers\n", TRY),
        (
            "x = 1; from websockets.http import Headers\nHeaders\n",
            "x = 1; from websockets.http import Headers\n",
        ),
    ]
    for original, fixed in cases:
        assert orphaned_imports_dropped(original, fixed, MODULES) == fixed
