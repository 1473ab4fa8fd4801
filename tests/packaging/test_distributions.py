"""Both distributions built from a copy of the sources, installed into clean virtualenvs and
smoke-tested there: the linter as a user runs it, the library by an echo round trip.

The builds use the development environment's setuptools (``--no-isolation``) and the
installs its pip, so that nothing but the linter's own dependencies is downloaded.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import textwrap
import venv
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from tests.packaging.stdio_lsp import initialize_and_shutdown

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "distributions" / "websockets-impl"
IGNORE = shutil.ignore_patterns("__pycache__", "*.so", "*.pyd", "*.egg-info", "build")

LEGACY = textwrap.dedent(
    """\
    import websockets.legacy.client

    async def main():
        async with websockets.legacy.client.connect("ws://x") as ws:
            print(ws.open)
    """
)

ECHO = textwrap.dedent(
    """\
    import asyncio

    from websockets_impl.asyncio.client import connect
    from websockets_impl.asyncio.server import serve


    async def echo(websocket):
        async for message in websocket:
            await websocket.send(message)


    async def main():
        async with serve(echo, "127.0.0.1", 0) as server:
            port = server.sockets[0].getsockname()[1]
            async with connect(f"ws://127.0.0.1:{port}/") as websocket:
                await websocket.send("hello")
                print(await asyncio.wait_for(websocket.recv(), 5))


    asyncio.run(asyncio.wait_for(main(), 20))
    """
)


def run(*command: str | Path, cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def build(project: Path, out: Path) -> tuple[Path, Path]:
    """The sdist and the wheel (built from the sdist, as ``python -m build`` does)."""
    result = run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ".", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return sdist, wheel


def clean_venv(where: Path, *requirements: str | Path) -> Path:
    """A virtualenv holding only ``requirements`` (and their dependencies); its bin/."""
    venv.EnvBuilder(with_pip=False).create(where)
    python = where / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
    result = run(*pip, *requirements, cwd=where)
    assert result.returncode == 0, result.stdout + result.stderr
    return where / "bin"


def wheel_names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def sdist_names(sdist: Path) -> list[str]:
    with tarfile.open(sdist) as archive:
        # Drop the top-level "name-version/" directory.
        return [name.partition("/")[2] for name in archive.getnames()]


def metadata(wheel: Path) -> tuple[str, list[tuple[str, str]]]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        message = Parser().parsestr(archive.read(name).decode())
    return name, list(message.items())


def test_the_linter_is_a_pure_wheel_without_the_library(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in"):
        shutil.copy(ROOT / name, source / name)
    # The library sits beside the linter in the repository: it must stay out of this build.
    for package in ("lint_plugin", "websockets_impl"):
        shutil.copytree(ROOT / package, source / package, ignore=IGNORE)
    sdist, wheel = build(source, tmp_path / "dist")

    assert wheel.name == "wsu_lint-0.1.0-py3-none-any.whl"
    names = wheel_names(wheel)
    assert {n.split("/")[0] for n in names} == {"lint_plugin", "wsu_lint-0.1.0.dist-info"}
    assert "lint_plugin/_deprecations_data.py" in names
    assert "lint_plugin/py.typed" in names
    assert "wsu_lint-0.1.0.dist-info/licenses/LICENSE" in names
    assert not [n for n in names if n.endswith((".so", ".pyd", ".c"))]
    in_sdist = sdist_names(sdist)
    assert {"LICENSE", "README.md", "pyproject.toml", "lint_plugin/names.py"} <= set(in_sdist)
    assert not [n for n in in_sdist if n.startswith(("websockets_impl", "tests", "distributions"))]
    _, fields = metadata(wheel)
    assert ("Requires-Python", ">=3.9") in fields
    requires = [value for key, value in fields if key == "Requires-Dist"]
    assert any(r.startswith("astroid") for r in requires)
    assert any(r.startswith("pathspec") for r in requires)
    assert any(r.startswith("tomli") and 'python_version < "3.11"' in r for r in requires)
    assert any(r.startswith("pygls") and 'extra == "lsp"' in r for r in requires)
    assert any(key == "Project-URL" for key, _ in fields)

    bin_ = clean_venv(tmp_path / "venv", f"{wheel}[lsp]", "flake8")
    work = tmp_path / "work"
    work.mkdir()
    (work / "legacy.py").write_text(LEGACY)
    library = run(bin_ / "python", "-c", "import websockets_impl", cwd=work)
    assert "No module named 'websockets_impl'" in library.stderr
    checked = run(
        bin_ / "wsu", "check", "--no-cache", "--output-format", "concise", "legacy.py", cwd=work
    )
    assert checked.returncode == 1, checked.stderr
    assert "legacy.py:1:8: WSU101" in checked.stdout
    assert "legacy.py:5:15: WSU201" in checked.stdout
    flake8 = run(bin_ / "flake8", "--select", "WSU", "legacy.py", cwd=work)
    assert flake8.returncode == 1, flake8.stderr
    assert "legacy.py:1:8: WSU101" in flake8.stdout
    code, messages = initialize_and_shutdown([str(bin_ / "wsu"), "server"], None, cwd=str(work))
    assert code == 0
    results = {m["id"]: m for m in messages if "id" in m}
    assert results[1]["result"]["serverInfo"]["name"] == "wsu"
    assert results[2]["result"] is None


def test_the_library_has_its_own_distribution(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(LIBRARY / name, source / name)
    shutil.copy(ROOT / "LICENSE", source / "LICENSE")
    shutil.copytree(ROOT / "websockets_impl", source / "websockets_impl", ignore=IGNORE)
    sdist, wheel = build(source, tmp_path / "dist")

    assert wheel.name.startswith("websockets_impl-0.1.0-")
    names = wheel_names(wheel)
    assert {n.split("/")[0] for n in names} == {
        "websockets_impl",
        "websockets_impl-0.1.0.dist-info",
    }
    assert "websockets_impl-0.1.0.dist-info/licenses/LICENSE" in names
    assert "websockets_impl/py.typed" in names
    in_sdist = sdist_names(sdist)
    assert {"LICENSE", "setup.py", "websockets_impl/speedups.c"} <= set(in_sdist)
    assert not [n for n in in_sdist if n.endswith(".so")]
    compiled = [n for n in names if n.startswith("websockets_impl/speedups") and ".so" in n]
    if shutil.which("cc") or shutil.which("gcc"):
        # The C accelerator is optional, but where a compiler is there it is built.
        assert compiled, names
        assert "-abi3-" in wheel.name or "-cp3" in wheel.name

    bin_ = clean_venv(tmp_path / "venv", wheel)
    work = tmp_path / "work"
    work.mkdir()
    (work / "echo.py").write_text(ECHO)
    echoed = run(bin_ / "python", "echo.py", cwd=work, timeout=60)
    assert (echoed.returncode, echoed.stdout) == (0, "hello\n"), echoed.stderr
    linter = run(bin_ / "python", "-c", "import lint_plugin", cwd=work)
    assert "No module named 'lint_plugin'" in linter.stderr
    if compiled:
        accelerated = run(bin_ / "python", "-c", "import websockets_impl.speedups", cwd=work)
        assert accelerated.returncode == 0, accelerated.stderr


@pytest.mark.parametrize("name", ["LICENSE"])
def test_the_library_project_links_the_shared_files(name: str) -> None:
    # The library's project directory reaches the package and the license through links,
    # so that building it from a checkout (python -m build distributions/websockets-impl)
    # carries the one copy of each.
    assert (LIBRARY / name).resolve() == (ROOT / name).resolve()
    assert (LIBRARY / "websockets_impl").resolve() == (ROOT / "websockets_impl").resolve()
