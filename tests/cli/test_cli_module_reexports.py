"""A target module imported by one module of the project and imported from it by another
(yt-dlp's ``from ..dependencies import websockets``, an optional dependency): that name is
the module there, its uses reported (``Settings.module_reexports``, ``wsu check`` only)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.cli.helpers import write, wsu

DEPENDENCIES = """\
try:
    import websockets
except ImportError:
    websockets = None
"""

WRAPPER = """\
from ..dependencies import websockets


async def fetch(url, headers, loop):
    async with websockets.connect(url, extra_headers=headers, loop=loop) as ws:
        return await ws.recv()
"""

# uvicorn's shape: a subpackage of the project named websockets, nothing re-exported.
OWN_PACKAGE = """\
from .protocols import websockets


def make(loop):
    return websockets.connect(loop=loop)
"""


def _check(tmp_path: Path, *extra: str) -> list[str]:
    listed = wsu("check", "--no-cache", "--output-format", "concise", *extra, ".", cwd=tmp_path)
    return [line.split(" [*]")[0].split(" `")[0] for line in listed.stdout.splitlines()]


@pytest.mark.parametrize("spelled", ["from ..dependencies", "from pkg.dependencies"])
def test_a_reexported_module_is_the_module(tmp_path: Path, spelled: str) -> None:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/dependencies/__init__.py": DEPENDENCIES,
            "pkg/utils/__init__.py": "",
            "pkg/utils/wrapper.py": WRAPPER.replace("from ..dependencies", spelled),
        },
    )
    found = _check(tmp_path, "--target-version", "14.0")
    assert "pkg/utils/wrapper.py:5:40: WSU401" in found
    assert "pkg/utils/wrapper.py:5:63: WSU407" in found


def test_its_fixes_keep_the_import_as_it_is(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/dependencies/__init__.py": DEPENDENCIES,
            "pkg/utils/__init__.py": "",
            "pkg/utils/wrapper.py": WRAPPER,
        },
    )
    # At 13.0 ``websockets.connect`` is the legacy one: moving it would need an import of
    # websockets.asyncio.client, which the optional import cannot get; the unit stays.
    wsu(
        "check",
        "--no-cache",
        "--fix",
        "--unsafe-fixes",
        "--target-version",
        "13.0",
        ".",
        cwd=tmp_path,
    )
    fixed = (tmp_path / "pkg/utils/wrapper.py").read_text()
    ast.parse(fixed)
    assert fixed.startswith("from ..dependencies import websockets\n")
    assert "websockets.connect(url, extra_headers=headers)" in fixed  # loop= went, safe


def test_a_project_subpackage_of_that_name_is_not(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/protocols/__init__.py": "",
            "app/protocols/websockets/__init__.py": "def connect(loop=None):\n    return loop\n",
            "app/main.py": OWN_PACKAGE,
        },
    )
    assert not any("WSU" in line for line in _check(tmp_path, "--target-version", "14.0"))
