"""extend-ignore and extend-per-file-ignores: in the configuration and on the command line."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import LEGACY_APP, write, wsu

# LEGACY_APP raises WSU101, WSU401, WSU406 and WSU201.


def codes(root: Path, *args: str) -> dict[str, list[str]]:
    result = wsu("check", "--output-format", "json", "--no-cache", *args, cwd=root)
    assert result.code in (0, 1), result.stderr
    found: dict[str, list[str]] = {}
    for item in result.json():
        found.setdefault(Path(item["filename"]).name, []).append(item["code"])
    return found


def test_extend_ignore_adds_to_ignore(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "wsu.toml": 'ignore = ["WSU101"]\nextend-ignore = ["WSU406"]\n',
            "app.py": LEGACY_APP,
        },
    )
    assert codes(tmp_path) == {"app.py": ["WSU401", "WSU201"]}
    assert codes(tmp_path, "--extend-ignore", "WSU2") == {"app.py": ["WSU401"]}
    assert codes(tmp_path, "--ignore", "WSU4", "--extend-ignore", "WSU2") == {}
    # A later --select starts afresh, for both keys (as for ignore).
    assert codes(tmp_path, "--select", "WSU1,WSU4") == {"app.py": ["WSU101", "WSU401", "WSU406"]}


def test_extend_per_file_ignores_survive_a_replaced_per_file_ignores(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "wsu.toml": (
                '[per-file-ignores]\n"a.py" = ["WSU1"]\n'
                '[extend-per-file-ignores]\n"b.py" = ["WSU2"]\n'
            ),
            "a.py": LEGACY_APP,
            "b.py": LEGACY_APP,
        },
    )
    all_codes = ["WSU101", "WSU401", "WSU406", "WSU201"]
    assert codes(tmp_path) == {
        "a.py": ["WSU401", "WSU406", "WSU201"],
        "b.py": ["WSU101", "WSU401", "WSU406"],
    }
    # --per-file-ignores replaces the configured per-file-ignores only.
    assert codes(tmp_path, "--per-file-ignores", "b.py:WSU4") == {
        "a.py": all_codes,
        "b.py": ["WSU101"],
    }
    assert codes(tmp_path, "--extend-per-file-ignores", "a.py:WSU4") == {
        "a.py": ["WSU201"],
        "b.py": ["WSU101", "WSU401", "WSU406"],
    }


def test_bad_values_name_the_key(tmp_path: Path) -> None:
    write(tmp_path, {"wsu.toml": 'extend-ignore = ["WSU9"]\n', "app.py": LEGACY_APP})
    result = wsu("check", cwd=tmp_path)
    assert result.code == 2
    assert "extend-ignore: unknown rule selector 'WSU9'" in result.stderr
    write(tmp_path, {"wsu.toml": 'extend-per-file-ignores = ["x"]\n'})
    result = wsu("check", cwd=tmp_path)
    assert result.code == 2
    assert "'extend-per-file-ignores': expected a table" in result.stderr
    write(tmp_path, {"wsu.toml": ""})
    result = wsu("check", "--extend-per-file-ignores", "nocolon", cwd=tmp_path)
    assert result.code == 2
    assert "--extend-per-file-ignores: expected PATTERN:CODE" in result.stderr
