"""Configuration files: where they are found, what they may hold, how patterns match."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lint_plugin.config import (
    ConfigError,
    PerFileIgnore,
    find_config,
    load_options,
    parse_per_file_ignore,
)
from lint_plugin.settings import SettingsError


def test_find_config_prefers_wsu_toml_and_skips_foreign_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.wsu]\n")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text("[tool.black]\n")
    assert find_config(nested) == tmp_path / "pyproject.toml"
    (tmp_path / "wsu.toml").write_text("")
    assert find_config(nested / "file.py") == tmp_path / "wsu.toml"
    (nested / "pyproject.toml").write_text("[tool.wsu]\nselect = []\n")
    assert find_config(nested) == nested / "pyproject.toml"


def test_values_are_read(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        "[tool.wsu]\n"
        'target-version = "13.1"\n'
        'select = ["wsu1", "WSU2"]\n'
        'extend-select = ["WSU410"]\n'
        'ignore = ["WSU201"]\n'
        'exclude = ["build"]\n'
        'extend-exclude = ["gen"]\n'
        "unsafe-fixes = true\n"
        'modules = ["websockets", "my_ws"]\n'
        '[tool.wsu.per-file-ignores]\n"tests/*" = ["WSU2"]\n'
    )
    options = load_options(path)
    assert options.root == tmp_path
    assert options.target_version == (13, 1)
    assert options.target_version_source == "from pyproject.toml [tool.wsu] target-version"
    assert options.select == ("WSU1", "WSU2")
    assert options.extend_select == ("WSU410",)
    assert options.ignore == ("WSU201",)
    assert options.exclude == ("build",)
    assert options.extend_exclude == ("gen",)
    assert options.unsafe_fixes is True
    assert options.modules == ("websockets", "my_ws")
    assert options.per_file_ignores == (PerFileIgnore("tests/*", ("WSU2",)),)
    settings = options.settings_for(tmp_path / "tests" / "unit" / "test_x.py")
    assert settings.ignore == ("WSU201", "WSU2")
    assert settings.target_version == (13, 1)
    assert options.settings_for(tmp_path / "src" / "x.py").ignore == ("WSU201",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('selct = ["WSU1"]\n', "unknown key 'selct' (did you mean 'select'?)"),
        ("frobnicate = 1\n", "unknown key 'frobnicate'"),
        ('select = "WSU1"\n', "'select': expected a list of strings, got 'WSU1'"),
        ("select = [1]\n", "'select': expected a list of strings"),
        ('unsafe-fixes = "yes"\n', "'unsafe-fixes': expected true or false"),
        ("target-version = 13.1\n", "'target-version': expected a version string"),
        ("target-version = true\n", "'target-version': expected a version string"),
        ('target-version = "latest"\n', "target-version: expected a websockets version"),
        ('ignore = ["WSU9"]\n', "ignore: unknown rule selector 'WSU9'"),
        ('extend-select = ["E501"]\n', "extend-select: unknown rule selector 'E501'"),
        ('select = ["WSU2O1"]\n', "unknown rule selector 'WSU2O1' (did you mean 'WSU201'?)"),
        ('per-file-ignores = ["x"]\n', "'per-file-ignores': expected a table"),
        ('per-file-ignores = {"t/*" = "WSU2"}\n', "'per-file-ignores': 't/*': expected a list"),
        ('modules = ["not a module"]\n', "modules: not a module name: 'not a module'"),
        ("modules = []\n", "modules: expected at least one module name"),
        ("exclude = [[]]\n", "'exclude': expected a list of strings"),
        ("select = [\n", "invalid TOML"),
    ],
)
def test_bad_configuration_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "wsu.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_options(path)
    assert str(caught.value).startswith("wsu.toml")
    assert message in str(caught.value)


def test_integer_target_version_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "wsu.toml"
    path.write_text("target-version = 14\n")
    assert load_options(path).target_version == (14, 0)


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("tests/*", "tests/test_a.py", True),
        ("tests/*", "tests/unit/deep/test_a.py", True),
        ("tests/*", "src/tests.py", False),
        ("__init__.py", "pkg/sub/__init__.py", True),
        ("./scripts/*.py", "scripts/run.py", True),
        ("*_pb2.py", "api/x_pb2.py", True),
    ],
)
def test_per_file_ignore_patterns(pattern: str, path: str, matches: bool) -> None:
    assert PerFileIgnore(pattern, ("WSU2",)).matches(path) is matches


def test_per_file_ignore_from_the_command_line() -> None:
    assert parse_per_file_ignore("tests/*:WSU2,wsu401", option="--per-file-ignores") == (
        PerFileIgnore("tests/*", ("WSU2", "WSU401"))
    )
    with pytest.raises(SettingsError, match="expected PATTERN:CODE"):
        parse_per_file_ignore("tests/*", option="--per-file-ignores")


def test_a_configuration_file_is_read_again_once_it_changes(tmp_path: Path) -> None:
    # Files are parsed once while unchanged (the flake8 plugin asks for every directory).
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.wsu]\ntarget-version = "13.1"\n')
    assert load_options(path).target_version == (13, 1)
    path.write_text('[tool.wsu]\ntarget-version = "12.0"\n')  # same size, later mtime
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert load_options(path).target_version == (12, 0)
    path.write_text("[tool.black]\n")
    assert find_config(tmp_path) is None
    path.write_text("[tool.wsu\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_options(path)


def test_an_unchanged_file_is_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import lint_plugin.config as config

    parsed: list[object] = []
    load = config.tomllib.load
    monkeypatch.setattr(config.tomllib, "load", lambda handle: parsed.append(1) or load(handle))
    (tmp_path / "pyproject.toml").write_text("[tool.black]\n")
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        assert find_config(tmp_path / name / "module.py") is None
    assert len(parsed) == 1
