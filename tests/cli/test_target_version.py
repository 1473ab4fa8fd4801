"""Target version detection from each kind of dependency declaration."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint_plugin.target_version import (
    DetectedVersion,
    VersionDetector,
    detect_target_version,
    lower_bound,
    requirement_lower_bound,
)


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
        ("websockets_impl~=13.0", (13, 0)),
        ("websockets-impl>=14.2", (14, 2)),
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
    return detect_target_version(root / start)


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
    assert detect_target_version(tmp_path / "other" / "src" / "mod.py") is None


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
