"""Target version detection from each kind of dependency declaration."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

import pytest

from lint_plugin.output.text import UPGRADE_NOTE
from lint_plugin.settings import NEWEST_VERSION, SettingsError, parse_version
from lint_plugin.target_version import (
    DetectedVersion,
    VersionDetector,
    installed_version,
    lower_bound,
    requirement_lower_bound,
)
from tests.cli.helpers import wsu


@pytest.mark.parametrize(
    ("constraint", "version"),
    [
        ("==13.1", (13, 1)),
        (">=12,<14", (12, 0)),
        (">= 12, < 14", (12, 0)),
        ("~=13.0", (13, 0)),
        ("^13.1", (13, 1)),
        ("~13.1.2", (13, 1, 2)),
        ("13.*", (13, 0)),
        ("13.1", (13, 1)),
        (">=14.0rc1", (14, 0)),
        (">12.0", (12, 0)),
        ("!=13.0,>=12.1", (12, 1)),
        (">=10 || >=9.1", (9, 1)),
        ("<14", None),
        ("!=13", None),
        ("*", None),
        ("", None),
        (">=10 || <9", None),
    ],
)
def test_lower_bound(constraint: str, version: tuple[int, ...] | None) -> None:
    assert lower_bound(constraint) == version


@pytest.mark.parametrize(
    ("requirement", "version"),
    [
        ("websockets==13.1", (13, 1)),
        ("Websockets[speedups] >= 12 ; python_version >= '3.9'", (12, 0)),
        ("websockets (>=11)", (11, 0)),
        ("websockets_impl~=0.1", NEWEST_VERSION),
        ("websockets-impl", NEWEST_VERSION),
        ("websockets @ https://example.com/websockets-13.0.tar.gz", None),
        ("websockets", None),
        ("websockets-proxy>=1.0", None),
        ("aiohttp>=3", None),
    ],
)
def test_requirement_lower_bound(requirement: str, version: tuple[int, ...] | None) -> None:
    assert requirement_lower_bound(requirement) == version


def detect(root: Path, files: dict[str, str], start: str = ".") -> DetectedVersion | None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return VersionDetector().detect(root / start)


def test_requirements_txt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = (
        "-r base.txt\n"
        "# websockets==1.0 in a comment\n"
        "aiohttp\n"
        "websockets>=12,<14 \\\n"
        "  --hash=sha256:abc\n"
    )
    assert detect(tmp_path, {"requirements.txt": text}) == DetectedVersion(
        (12, 0), "requirements.txt:4: websockets>=12,<14"
    )


def test_other_requirements_files_after_requirements_txt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    files = {"requirements-dev.txt": "websockets==12.0\n", "requirements.txt": "flask\n"}
    found = detect(tmp_path, files)
    assert found == DetectedVersion((12, 0), "requirements-dev.txt:1: websockets==12.0")


def test_project_dependencies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = '[project]\nname = "x"\ndependencies = [\n  "aiohttp",\n  "websockets>=13.1,<15",\n]\n'
    assert detect(tmp_path, {"pyproject.toml": text}) == DetectedVersion(
        (13, 1), "pyproject.toml:5: websockets>=13.1,<15"
    )


def test_optional_dependencies_and_dependency_groups(tmp_path: Path) -> None:
    optional = '[project]\nname = "x"\n[project.optional-dependencies]\nws = ["websockets~=14.0"]\n'
    assert detect(tmp_path, {"pyproject.toml": optional}).version == (14, 0)  # type: ignore[union-attr]
    groups = '[dependency-groups]\ndev = ["pytest", {include-group = "x"}, "websockets==12.1"]\n'
    assert detect(tmp_path, {"pyproject.toml": groups}).version == (12, 1)  # type: ignore[union-attr]


def test_poetry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    plain = '[tool.poetry.dependencies]\npython = "^3.11"\nwebsockets = "^13.1"\n'
    assert detect(tmp_path, {"pyproject.toml": plain}) == DetectedVersion(
        (13, 1), 'pyproject.toml:3: websockets = "^13.1"'
    )
    table = '[tool.poetry.dependencies]\nwebsockets = { version = ">=12,<14", optional = true }\n'
    assert detect(tmp_path, {"pyproject.toml": table}).version == (12, 0)  # type: ignore[union-attr]
    group = '[tool.poetry.group.dev.dependencies]\nwebsockets = "~14.1"\n'
    assert detect(tmp_path, {"pyproject.toml": group}).version == (14, 1)  # type: ignore[union-attr]
    multiple = (
        "[tool.poetry.dependencies]\n"
        'websockets = [{ version = "^13.0", python = "<3.9" }, { version = "^14.1" }]\n'
    )
    assert detect(tmp_path, {"pyproject.toml": multiple}).version == (13, 0)  # type: ignore[union-attr]
    unbounded = '[tool.poetry.dependencies]\nwebsockets = "*"\n'
    assert detect(tmp_path, {"pyproject.toml": unbounded}) is None


def test_pdm_dev_dependencies(tmp_path: Path) -> None:
    text = '[tool.pdm.dev-dependencies]\ntest = ["pytest", "websockets>=11.0.3"]\n'
    assert detect(tmp_path, {"pyproject.toml": text}).version == (11, 0, 3)  # type: ignore[union-attr]


def test_no_lower_bound_is_not_detected(tmp_path: Path) -> None:
    files = {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["websockets<14"]\n'}
    assert detect(tmp_path, files) is None


def test_search_goes_up_to_the_project_root_only(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "websockets==10.0\n",
        "project/pyproject.toml": '[project]\nname = "p"\n',
        "project/src/pkg/mod.py": "",
        "other/src/mod.py": "",
        "other/requirements.txt": "websockets==12.0\n",
    }
    # project/ is a project root without a websockets requirement: the search stops there.
    assert detect(tmp_path, files, "project/src/pkg/mod.py") is None
    assert detect(tmp_path, files, "other/src/mod.py").version == (12, 0)  # type: ignore[union-attr]
    (tmp_path / "other" / ".git").mkdir()
    (tmp_path / "other" / "requirements.txt").unlink()
    assert VersionDetector().detect(tmp_path / "other" / "src" / "mod.py") is None


def test_detector_remembers_directories(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("websockets==13.0\n")
    (tmp_path / "a" / "b").mkdir(parents=True)
    detector = VersionDetector()
    assert detector.detect(tmp_path / "a" / "b").version == (13, 0)  # type: ignore[union-attr]
    (tmp_path / "requirements.txt").write_text("websockets==14.0\n")
    assert detector.detect(tmp_path / "a").version == (13, 0)  # type: ignore[union-attr]
    assert VersionDetector().detect(tmp_path / "a").version == (14, 0)  # type: ignore[union-attr]


def test_broken_pyproject_is_skipped(tmp_path: Path) -> None:
    files = {"pyproject.toml": "[project\n", "requirements.txt": "websockets==13.0\n"}
    assert detect(tmp_path, files).version == (13, 0)  # type: ignore[union-attr]


def test_lock_files_win_over_a_declared_range(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    pyproject = '[project]\nname = "x"\ndependencies = ["websockets>=10"]\n'
    lock = (
        'version = 1\n\n[[package]]\nname = "aiohttp"\nversion = "3.9.0"\n\n'
        '[[package]]\nname = "websockets"\nversion = "12.0"\nsource = { registry = "x" }\n'
    )
    for name in ("uv.lock", "poetry.lock", "pdm.lock"):
        found = detect(tmp_path, {"pyproject.toml": pyproject, name: lock})
        assert found == DetectedVersion((12, 0), f"{name}:8: websockets 12.0 (locked)")
        (tmp_path / name).unlink()
    assert detect(tmp_path, {}).version == (10, 0)  # type: ignore[union-attr]


def test_lock_file_without_websockets_falls_back_to_the_declarations(tmp_path: Path) -> None:
    files = {
        "poetry.lock": '[[package]]\nname = "aiohttp"\nversion = "3.9.0"\n',
        "requirements.txt": "websockets~=11.0\n",
    }
    assert detect(tmp_path, files).version == (11, 0)  # type: ignore[union-attr]


def test_setup_cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = (
        "[metadata]\nname = x\n\n[options]\ninstall_requires =\n"
        "    aiohttp>=3\n    websockets>=9.1,<11\n"
    )
    assert detect(tmp_path, {"setup.cfg": text}) == DetectedVersion(
        (9, 1), "setup.cfg:7: websockets>=9.1,<11"
    )
    extras = "[options.extras_require]\nws =\n    websockets==10.4\n"
    assert detect(tmp_path, {"setup.cfg": extras}).version == (10, 4)  # type: ignore[union-attr]


def test_setup_py_is_read_never_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "ran"
    text = (
        "from setuptools import setup\n"
        f"open({str(marker)!r}, 'w').close()\n"
        "REQUIRES = [\n"
        "    'aiohttp',\n"
        "    'websockets>=8.1,<11',\n"
        "]\n"
        "setup(name='x', install_requires=REQUIRES)\n"
    )
    assert detect(tmp_path, {"setup.py": text}) == DetectedVersion(
        (8, 1), "setup.py:5: websockets>=8.1,<11"
    )
    assert not marker.exists()
    extras = "import setuptools\nsetuptools.setup(extras_require={'ws': ['websockets==10.0']})\n"
    assert detect(tmp_path, {"setup.py": extras}).version == (10, 0)  # type: ignore[union-attr]
    computed = "from setuptools import setup\nsetup(install_requires=open('r.txt').read())\n"
    assert detect(tmp_path, {"setup.py": computed}) is None


def test_pipfile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = '[packages]\nrequests = "*"\nwebsockets = "==10.3"\n\n[dev-packages]\npytest = "*"\n'
    assert detect(tmp_path, {"Pipfile": text}) == DetectedVersion(
        (10, 3), 'Pipfile:3: websockets = "==10.3"'
    )
    table = '[dev-packages]\nwebsockets = {version = ">=11"}\n'
    assert detect(tmp_path, {"Pipfile": table}).version == (11, 0)  # type: ignore[union-attr]


def test_requirements_directory_and_includes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    files = {
        "requirements/base.txt": "aiohttp\n-r pins/ws.txt\n",
        "requirements/pins/ws.txt": "-r ../base.txt\nwebsockets==10.2\n",
    }
    assert detect(tmp_path, files) == DetectedVersion(
        (10, 2), "requirements/pins/ws.txt:2: websockets==10.2"
    )
    top = {"requirements.txt": "--requirement=requirements/base.txt\n"}
    assert detect(tmp_path, top).version == (10, 2)  # type: ignore[union-attr]


def test_a_version_newer_than_known_is_the_newest_known(tmp_path: Path) -> None:
    found = detect(tmp_path, {"requirements.txt": "websockets>=99\n"})
    assert found is not None
    assert found.version == NEWEST_VERSION
    assert "newer than" in found.source


def test_installed_websockets_when_the_project_declares_nothing(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    detector = VersionDetector()
    assert detector.detect(tmp_path) is None
    installed = metadata.version("websockets")
    found = detector.target(tmp_path)
    assert found == installed_version()
    assert found is not None
    assert found.version == lower_bound(f"=={installed}")
    assert found.source == f"websockets {installed} installed in {sys.prefix}"
    (tmp_path / "requirements.txt").write_text("websockets==10.4\n")
    assert VersionDetector().target(tmp_path).version == (10, 4)  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["99", "17.5", "18.0.1"])
def test_unknown_target_versions_are_an_error(text: str) -> None:
    with pytest.raises(SettingsError, match=r"unknown websockets version .*known releases go up"):
        parse_version(text)
    assert parse_version("17.4.2") == (17, 4, 2)


def test_unknown_target_version_in_the_configuration_and_on_the_command_line(
    tmp_path: Path,
) -> None:
    (tmp_path / "app.py").write_text("import websockets.legacy\n")
    result = wsu("check", "--target-version", "99", cwd=tmp_path)
    assert result.code == 2
    assert "--target-version: unknown websockets version 99.0" in result.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.wsu]\ntarget-version = "18"\n')
    result = wsu("check", cwd=tmp_path)
    assert result.code == 2
    assert "unknown websockets version 18.0: the known releases go up to 17.4" in result.stderr


def test_the_run_says_which_target_and_what_waits_for_an_upgrade(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("websockets==10.4\n")
    (tmp_path / "app.py").write_text(
        "import websockets\n\n"
        "async def main():\n"
        "    async with websockets.connect('ws://x') as ws:\n"
        "        print(ws.open)\n"
    )
    result = wsu("check", "--no-cache", "--output-format", "concise", cwd=tmp_path)
    assert result.code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("Target")]
    assert lines == [
        "Target websockets 10.4 (from requirements.txt:1: websockets==10.4): 2 findings can be "
        "fixed only after upgrading to websockets >= 13.0 (`--target-version 13.0` shows "
        "those fixes)."
    ]
    assert "(needs websockets >= 13.0; this project runs 10.4)" in result.stdout
    full = wsu("check", "--no-cache", cwd=tmp_path)
    assert full.stdout.count(UPGRADE_NOTE) == 2
    assert (
        "help: Replace with `ws.state is State.OPEN` (after upgrading to websockets >= 13.0)"
        in (full.stdout)
    )
    upgraded = wsu("check", "--no-cache", "--target-version", "14", cwd=tmp_path)
    assert "Target websockets 14.0 (from --target-version)." in upgraded.stderr
    assert "needs websockets" not in upgraded.stdout
    clean = tmp_path / "app.py"
    clean.write_text("import json\n")
    quiet = wsu("check", "--no-cache", cwd=tmp_path)
    assert quiet.code == 0
    assert "Target" not in quiet.stderr


def test_the_installed_version_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The flake8 plugin asks for every file of a project that declares nothing.
    asked: list[str] = []
    monkeypatch.setattr(metadata, "version", lambda name: asked.append(name) or "12.0")
    installed_version.cache_clear()
    try:
        detector = VersionDetector()
        for name in ("a", "b", "c"):
            (tmp_path / name / ".git").mkdir(parents=True)
            found = detector.target(tmp_path / name)
            assert found is not None and found.version == (12, 0)
        assert asked == ["websockets"]
    finally:
        installed_version.cache_clear()
