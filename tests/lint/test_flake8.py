"""End to end: the real flake8 executable with the WSU plugin."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

LEGACY = textwrap.dedent(
    """\
    import websockets
    from websockets.legacy.server import serve


    async def handler(websocket, path):
        if websocket.open:
            await websocket.send(path)


    async def main():
        async with serve(handler, "localhost", 8765, timeout=5):
            pass
    """
)


def flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def codes(output: str) -> list[str]:
    return [line.split(": ", 1)[1].split()[0] for line in output.splitlines() if ": WSU" in line]


def test_select_wsu(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(LEGACY)
    result = flake8(tmp_path, "--select", "WSU", "app.py")
    assert result.returncode == 1
    assert codes(result.stdout) == ["WSU101", "WSU301", "WSU201", "WSU406"]
    assert "app.py:5:30: WSU301" in result.stdout


def test_extend_select_keeps_default_checks(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(LEGACY)
    result = flake8(tmp_path, "--extend-select", "WSU", "app.py")
    assert "F401" in result.stdout  # pyflakes still runs: `websockets` is unused
    assert "WSU201" in result.stdout


def test_noqa_with_code(tmp_path: Path) -> None:
    source = LEGACY.replace("if websocket.open:", "if websocket.open:  # noqa: WSU201")
    (tmp_path / "app.py").write_text(source)
    result = flake8(tmp_path, "--select", "WSU", "app.py")
    assert "WSU201" not in result.stdout
    assert "WSU301" in result.stdout


def test_target_version_from_setup_cfg_and_command_line(tmp_path: Path) -> None:
    source = "import websockets\n\nasync def main():\n    await websockets.connect('ws://x')\n"
    (tmp_path / "app.py").write_text(source)
    assert codes(flake8(tmp_path, "--select", "WSU", "app.py").stdout) == []
    (tmp_path / "setup.cfg").write_text("[flake8]\nwsu-target-version = 13.1\n")
    assert codes(flake8(tmp_path, "--select", "WSU", "app.py").stdout) == ["WSU104"]
    assert (
        codes(flake8(tmp_path, "--select", "WSU", "--wsu-target-version", "14", "app.py").stdout)
        == []
    )


def test_options_from_tox_ini_and_dot_flake8(tmp_path: Path) -> None:
    source = "import websockets\n\nasync def main():\n    await websockets.serve(None)\n"
    (tmp_path / "app.py").write_text(source)
    (tmp_path / "tox.ini").write_text("[flake8]\nwsu-target-version = 13.0\n")
    assert codes(flake8(tmp_path, "--select", "WSU", "app.py").stdout) == ["WSU104"]
    (tmp_path / "tox.ini").unlink()
    (tmp_path / ".flake8").write_text("[flake8]\nwsu-target-version = 13.0\n")
    assert codes(flake8(tmp_path, "--select", "WSU", "app.py").stdout) == ["WSU104"]


def test_target_version_detected_from_requirements(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("aiohttp\nwebsockets>=13.1,<14\n")
    (tmp_path / "app.py").write_text("from websockets import serve\n")
    assert codes(flake8(tmp_path, "--select", "WSU", "app.py").stdout) == ["WSU104"]


def test_modules_option(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import mywebsockets.legacy.client\n")
    assert codes(flake8(tmp_path, "--select", "WSU", "app.py").stdout) == []
    result = flake8(tmp_path, "--select", "WSU", "--wsu-modules", "mywebsockets", "app.py")
    assert codes(result.stdout) == ["WSU101"]


def test_syntax_error_is_reported_by_flake8_only(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("import websockets.legacy\ndef f(:\n")
    result = flake8(tmp_path, "--select", "WSU,E999", "broken.py")
    assert "E999" in result.stdout
    assert "WSU" not in result.stdout
    assert "Traceback" not in result.stderr


def test_files_without_websockets_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "other.py").write_text("import json\nprint(json.dumps({}))\n")
    result = flake8(tmp_path, "--select", "WSU", "other.py")
    assert result.returncode == 0
    assert result.stdout == ""


def test_opt_in_rules_need_naming(tmp_path: Path) -> None:
    source = (
        "from websockets.asyncio.client import connect\n"
        "async def main():\n"
        "    async for ws in connect('ws://x'):\n"
        "        print((await ws.recv()).encode())\n"
    )
    (tmp_path / "app.py").write_text(source)
    assert codes(flake8(tmp_path, "--select", "WSU", "app.py").stdout) == []
    assert codes(
        flake8(tmp_path, "--select", "WSU", "--extend-select", "WSU5", "app.py").stdout
    ) == ["WSU503", "WSU501"]
    assert codes(flake8(tmp_path, "--extend-select", "WSU501", "app.py").stdout) == ["WSU501"]


def test_pinned_old_project_gets_every_finding_with_the_version_it_waits_for(
    tmp_path: Path,
) -> None:
    (tmp_path / "requirements.txt").write_text("websockets==10.4\n")
    (tmp_path / "app.py").write_text(LEGACY)
    result = flake8(tmp_path, "--select", "WSU", "-v", "app.py")
    assert codes(result.stdout) == ["WSU101", "WSU301", "WSU201", "WSU406"]
    waiting = [line for line in result.stdout.splitlines() if "this project runs 10.4" in line]
    assert [line.split(": ", 1)[1][:6] for line in waiting] == ["WSU101", "WSU201"]
    assert "wsu: target websockets 10.4 (from requirements.txt:1: websockets==10.4)" in (
        result.stderr
    )
    assert "app.py: 2 finding(s) can be fixed only after a websockets upgrade" in result.stderr


def test_tool_wsu_configuration_is_read_and_flake8_options_win(tmp_path: Path) -> None:
    source = "import websockets\n\nasync def main(ws):\n    await websockets.serve(None)\n"
    (tmp_path / "app.py").write_text(source)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.wsu]\ntarget-version = "13.0"\nignore = ["WSU104"]\n'
    )
    assert codes(flake8(tmp_path, "--select", "WSU", "app.py").stdout) == []
    # A rule flake8 is asked for by name gets past the configuration's ignore list.
    assert codes(flake8(tmp_path, "--select", "WSU104", "app.py").stdout) == ["WSU104"]
    (tmp_path / "pyproject.toml").write_text('[tool.wsu]\ntarget-version = "13.0"\n')
    assert codes(flake8(tmp_path, "--select", "WSU", "app.py").stdout) == ["WSU104"]
    result = flake8(tmp_path, "--select", "WSU", "--wsu-target-version", "14.0", "app.py")
    assert codes(result.stdout) == []


def test_tool_wsu_modules_are_read(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import mywebsockets.legacy.client\n")
    (tmp_path / "wsu.toml").write_text('modules = ["mywebsockets"]\n')
    assert codes(flake8(tmp_path, "--select", "WSU", "app.py").stdout) == ["WSU101"]


def test_unknown_target_version_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import websockets.legacy\n")
    result = flake8(tmp_path, "--select", "WSU", "--wsu-target-version", "99", "app.py")
    assert result.returncode != 0
    assert "unknown websockets version 99.0: the known releases go up to 17.4" in result.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.wsu]\ntarget-version = "18.1"\n')
    result = flake8(tmp_path, "--select", "WSU", "app.py")
    assert result.returncode != 0
    assert "pyproject.toml [tool.wsu]: target-version: unknown websockets version 18.1" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
