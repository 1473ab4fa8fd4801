"""Running the installed ``wsu`` command in a scratch project, and the snippets it checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCRIPT = Path(sys.executable).with_name("wsu")
COMMAND = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "lint_plugin.cli"]
SCHEMAS = Path(__file__).resolve().parents[2] / "lint_plugin" / "schemas"

# One violation of each fix kind: WSU101 and WSU401 and WSU201 have unsafe fixes, WSU406
# a safe one.
LEGACY_APP = """\
from websockets.legacy.client import connect


async def main(uri, h):
    async with connect(uri, extra_headers=h, timeout=5) as ws:
        if ws.open:
            await ws.send("hi")
"""
LEGACY_CODES = ["WSU101", "WSU401", "WSU406", "WSU201"]

SAFE_FIXED = LEGACY_APP.replace("timeout=5", "close_timeout=5")
ALL_FIXED = """\
from websockets.asyncio.client import connect
from websockets.protocol import State


async def main(uri, h):
    async with connect(uri, additional_headers=h, close_timeout=5) as ws:
        if ws.state is State.OPEN:
            await ws.send("hi")
"""

# Only WSU406 (safe fix) on the new API.
TIMEOUT_ONLY = """\
from websockets.asyncio.client import connect


async def main(uri):
    async with connect(uri, timeout=5) as ws:
        await ws.send("hi")
"""

CLEAN = """\
from websockets.asyncio.client import connect


async def main(uri):
    async with connect(uri) as ws:
        await ws.send("hi")
"""

UNRELATED = "import json\n\nprint(json.dumps({}))\n"


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def codes(self) -> list[str | None]:
        """Rule codes of a ``--output-format json`` report, in order."""
        return [item["code"] for item in self.json()]


# The caller's colour preferences must not leak into the reports under test.
_ENVIRON = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}


def wsu(
    *args: str, cwd: Path, stdin: str | bytes | None = None, env: dict[str, str] | None = None
) -> Result:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    completed = subprocess.run(
        [*COMMAND, *args],
        cwd=cwd,
        input=data,
        capture_output=True,
        timeout=60,
        env={**_ENVIRON, "PYTHONUTF8": "1", **(env or {})},
        check=False,
    )
    return Result(
        completed.returncode,
        completed.stdout.decode("utf-8"),
        completed.stderr.decode("utf-8"),
    )


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def schema(name: str) -> Any:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
