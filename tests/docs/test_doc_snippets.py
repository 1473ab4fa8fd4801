"""Every shell command and configuration snippet of the docs that can run offline, run.

Commands are read from the ```sh blocks of the pages as written. Installing (``pip``,
``make``) is what tests/packaging does; ``wsu server`` is started by tests/editor (stdio
and Neovim). The rest runs here on a small legacy project.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PAGES = ["README.md", "docs/index.md", "docs/cli.md", "docs/usage.md"]
NOT_HERE = ("pip ", "make ", "wsu server")

LEGACY = textwrap.dedent(
    """\
    import websockets.legacy.client

    async def main():
        async with websockets.legacy.client.connect("ws://x", timeout=5) as ws:
            print(ws.open)
    """
)


def blocks(page: str, language: str) -> list[str]:
    text = (ROOT / page).read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.S | re.M)


def commands() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for block in blocks(page, "sh"):
            for line in block.splitlines():
                command = shlex.join(shlex.split(line, comments=True))
                if command and not command.startswith(NOT_HERE):
                    found.append((page, command))
    return found


def project(where: Path) -> Path:
    for name in ("src/app.py", "tests/app.py"):
        (where / name).parent.mkdir(parents=True, exist_ok=True)
        (where / name).write_text(LEGACY)
    return where


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_pages_have_commands() -> None:
    programs = {command.split()[0] for _, command in commands()}
    assert programs == {"wsu", "flake8"}


@pytest.mark.parametrize(("page", "command"), commands())
def test_shell_command(page: str, command: str, tmp_path: Path) -> None:
    result = run(shlex.split(command), project(tmp_path))
    # 0: nothing left, 1: findings remain; 2 would be a usage or configuration error.
    assert result.returncode in (0, 1), f"{page}: {command}\n{result.stdout}{result.stderr}"
    assert "Traceback" not in result.stderr
    assert "usage:" not in result.stderr


def test_configuration_example_is_valid(tmp_path: Path) -> None:
    (toml,) = blocks("docs/configuration.md", "toml")
    (project(tmp_path) / "pyproject.toml").write_text(toml)
    result = run(["wsu", "check", "--no-cache", "--verbose"], tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert "13.1" in result.stdout + result.stderr


def test_flake8_ini_example(tmp_path: Path) -> None:
    (ini,) = blocks("docs/usage.md", "ini")
    (project(tmp_path) / "setup.cfg").write_text(ini)
    result = run(["flake8", "src/app.py"], tmp_path)
    assert result.returncode == 1, result.stderr
    # extend-select = WSU took effect, and 13.1 is the target: the legacy import is
    # reported with its fix available.
    assert "src/app.py:1:8: WSU101" in result.stdout


@pytest.mark.skipif(shutil.which("ruff", path=str(BIN)) is None, reason="ruff is not installed")
def test_ruff_external_keeps_wsu_codes_in_a_rewritten_noqa(tmp_path: Path) -> None:
    (toml,) = blocks("docs/usage.md", "toml")
    line = "import os  # noqa: F401, WSU201, E501\n"
    fix = ["ruff", "check", "--fix", "--select", "F,E,RUF100", "app.py"]
    bare, external = tmp_path / "bare", tmp_path / "external"
    for where in (bare, external):
        where.mkdir()
        (where / "app.py").write_text(line)
    (bare / "pyproject.toml").write_text("[tool.ruff]\n")
    (external / "pyproject.toml").write_text(toml)
    for where in (bare, external):
        run(fix, where)
    # What usage.md says ruff does, with and without `external`.
    assert (bare / "app.py").read_text() == "import os  # noqa: F401\n"
    assert (external / "app.py").read_text() == "import os  # noqa: F401, WSU201\n"
