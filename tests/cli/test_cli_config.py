"""[tool.wsu] in pyproject.toml and wsu.toml: discovery, precedence, validation, overrides."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import LEGACY_APP, LEGACY_CODES, TIMEOUT_ONLY, write, wsu


def codes(tmp_path: Path, *args: str, cwd: Path | None = None) -> list[str | None]:
    result = wsu("check", "--output-format", "json", "--no-cache", *args, cwd=cwd or tmp_path)
    assert result.code in (0, 1), result.stderr
    return result.codes()


def test_pyproject_section_is_read(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\n\n[tool.wsu]\nignore = ["WSU4"]\n',
            "app.py": LEGACY_APP,
        },
    )
    assert codes(tmp_path) == ["WSU101", "WSU201"]


def test_wsu_toml_wins_over_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.wsu]\nignore = ["WSU4"]\n',
            "wsu.toml": 'select = ["WSU2"]\n',
            "app.py": LEGACY_APP,
        },
    )
    assert codes(tmp_path) == ["WSU201"]


def test_config_is_found_from_a_subdirectory(tmp_path: Path) -> None:
    write(tmp_path, {"wsu.toml": 'select = ["WSU1"]\n', "src/pkg/app.py": LEGACY_APP})
    assert codes(tmp_path, cwd=tmp_path / "src" / "pkg") == ["WSU101"]


def test_pyproject_without_section_is_skipped(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "wsu.toml": 'select = ["WSU1"]\n',
            "sub/pyproject.toml": '[project]\nname = "sub"\n',
            "sub/app.py": LEGACY_APP,
        },
    )
    assert codes(tmp_path, "sub") == ["WSU101"]


def test_unknown_key_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.wsu]\nselct = ["WSU1"]\n', "app.py": LEGACY_APP})
    result = wsu("check", cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.strip() == (
        "wsu: error: pyproject.toml [tool.wsu]: unknown key 'selct' (did you mean 'select'?)"
    )
    assert result.stdout == ""


def test_bad_value_exits_2_naming_file_and_key(tmp_path: Path) -> None:
    # The whole range of bad values is covered by test_config.py; this is the command's side.
    write(tmp_path, {"wsu.toml": 'unsafe-fixes = "yes"\n', "app.py": LEGACY_APP})
    result = wsu("check", cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.strip() == (
        "wsu: error: wsu.toml: 'unsafe-fixes': expected true or false, got 'yes'"
    )


def test_command_line_overrides_config(tmp_path: Path) -> None:
    write(tmp_path, {"wsu.toml": 'select = ["WSU1"]\nignore = ["WSU201"]\n', "app.py": LEGACY_APP})
    assert codes(tmp_path) == ["WSU101"]
    # --select starts afresh: the configured ignore goes too.
    assert codes(tmp_path, "--select", "WSU2,WSU4") == ["WSU401", "WSU406", "WSU201"]
    # The more specific selector wins over the configured ignore, as in ruff.
    assert codes(tmp_path, "--extend-select", "WSU201") == ["WSU101", "WSU201"]
    assert codes(tmp_path, "--ignore", "WSU1") == []


def test_explicit_config_file(tmp_path: Path) -> None:
    write(tmp_path, {"ci/strict.toml": 'select = ["WSU2"]\n', "app.py": LEGACY_APP})
    assert codes(tmp_path, "--config", "ci/strict.toml") == ["WSU201"]
    missing = wsu("check", "--config", "nope.toml", cwd=tmp_path)
    assert missing.code == 2
    assert "--config: no such file" in missing.stderr


def test_per_file_ignores_from_config_and_command_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "wsu.toml": '[per-file-ignores]\n"tests/*" = ["WSU2", "WSU4"]\n',
            "app.py": LEGACY_APP,
            "tests/unit/test_app.py": LEGACY_APP,
        },
    )
    result = wsu("check", "--output-format", "json", "--no-cache", cwd=tmp_path)
    by_file: dict[str, list[str]] = {}
    for item in result.json():
        by_file.setdefault(Path(item["filename"]).name, []).append(item["code"])
    assert by_file == {"app.py": LEGACY_CODES, "test_app.py": ["WSU101"]}
    # The command line replaces the configured mapping.
    result = wsu(
        "check", "--output-format", "json", "--per-file-ignores", "app.py:WSU1", cwd=tmp_path
    )
    by_file = {}
    for item in result.json():
        by_file.setdefault(Path(item["filename"]).name, []).append(item["code"])
    assert by_file == {"app.py": ["WSU401", "WSU406", "WSU201"], "test_app.py": LEGACY_CODES}
    bad = wsu("check", "--per-file-ignores", "WSU2", cwd=tmp_path)
    assert bad.code == 2
    assert "expected PATTERN:CODE" in bad.stderr


def test_unsafe_fixes_from_config(tmp_path: Path) -> None:
    write(tmp_path, {"wsu.toml": "unsafe-fixes = true\n", "app.py": LEGACY_APP})
    result = wsu("check", "--fix", cwd=tmp_path)
    assert result.code == 0, result.stdout
    assert "Found 4 errors (4 fixed, 0 remaining)." in result.stdout
    write(tmp_path, {"app.py": LEGACY_APP})
    result = wsu("check", "--fix", "--no-unsafe-fixes", cwd=tmp_path)
    assert "Found 4 errors (1 fixed, 3 remaining)." in result.stdout


def test_modules_setting(tmp_path: Path) -> None:
    aliased = LEGACY_APP.replace("websockets", "ws_compat")
    write(tmp_path, {"app.py": aliased})
    assert codes(tmp_path) == []
    write(tmp_path, {"wsu.toml": 'modules = ["ws_compat"]\n'})
    assert "WSU201" in codes(tmp_path)
    assert codes(tmp_path, "--modules", "websockets") == []


def test_target_version_from_config_and_command_line(tmp_path: Path) -> None:
    # WSU406's fix needs 7.0 (close_timeout): below that it is reported, waiting for it.
    write(tmp_path, {"wsu.toml": 'target-version = "6.0"\n', "app.py": TIMEOUT_ONLY})
    [finding] = wsu("check", "--output-format", "json", "--no-cache", cwd=tmp_path).json()
    assert finding["message"].endswith("(needs websockets >= 7.0; this project runs 6.0)")
    assert finding["fix"]["applicability"] == "display-only"
    assert codes(tmp_path, "--target-version", "13.1") == ["WSU406"]
    verbose = wsu("check", "-v", "--no-cache", cwd=tmp_path)
    assert "target version 6.0 (from wsu.toml target-version)" in verbose.stderr
