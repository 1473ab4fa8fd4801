"""Exit codes and the summary lines, as ruff has them: 0 clean, 1 violations, 2 errors."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import CLEAN, LEGACY_APP, TIMEOUT_ONLY, UNRELATED, write, wsu


def test_clean_project_exits_0(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": CLEAN, "other.py": UNRELATED})
    result = wsu("check", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert result.stdout.strip() == "All checks passed!"


def test_violations_exit_1_with_summary_and_hints(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": LEGACY_APP})
    result = wsu("check", "--output-format", "concise", cwd=tmp_path)
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert lines[-2] == "Found 4 errors."
    assert lines[-1] == (
        "[*] 1 fixable with the `--fix` option "
        "(3 hidden fixes can be enabled with the `--unsafe-fixes` option)."
    )


def test_only_hidden_fixes_hint(tmp_path: Path) -> None:
    # Without the safe `timeout=` fix (ignoring WSU406 would hold the migration back: the
    # new connect() does not take `timeout=`).
    write(tmp_path, {"app.py": LEGACY_APP.replace(", timeout=5", "")})
    result = wsu("check", "--output-format", "concise", cwd=tmp_path)
    assert result.stdout.splitlines()[-1] == (
        "No fixes available (3 hidden fixes can be enabled with the `--unsafe-fixes` option)."
    )


def test_exit_zero(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": LEGACY_APP})
    assert wsu("check", "--exit-zero", cwd=tmp_path).code == 0


def test_fixing_everything_exits_0_unless_exit_non_zero_on_fix(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": TIMEOUT_ONLY})
    fixed = wsu("check", "--fix", cwd=tmp_path)
    assert fixed.code == 0, fixed.stdout
    assert fixed.stdout.splitlines()[-1] == "Found 1 error (1 fixed, 0 remaining)."
    write(tmp_path, {"app.py": TIMEOUT_ONLY})
    assert wsu("check", "--fix", "--exit-non-zero-on-fix", cwd=tmp_path).code == 1


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": CLEAN})
    unknown_option = wsu("check", "--frobnicate", cwd=tmp_path)
    assert unknown_option.code == 2
    assert "unrecognized arguments: --frobnicate" in unknown_option.stderr
    bad_selector = wsu("check", "--select", "WSU999", cwd=tmp_path)
    assert bad_selector.code == 2
    assert "--select: unknown rule selector 'WSU999'" in bad_selector.stderr
    bad_version = wsu("check", "--target-version", "fourteen", cwd=tmp_path)
    assert bad_version.code == 2
    assert "--target-version" in bad_version.stderr
    bad_format = wsu("check", "--output-format", "xml", cwd=tmp_path)
    assert bad_format.code == 2
    assert wsu("check", "-", "app.py", cwd=tmp_path).code == 2
    assert wsu(cwd=tmp_path).code == 2


def test_missing_path_is_an_io_error_diagnostic(tmp_path: Path) -> None:
    result = wsu("check", "--output-format", "concise", "nope.py", cwd=tmp_path)
    assert result.code == 1
    assert "nope.py:1:1: io-error: No such file or directory" in result.stdout


def test_quiet_prints_diagnostics_only(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": LEGACY_APP})
    result = wsu("check", "-q", "--output-format", "concise", cwd=tmp_path)
    assert result.code == 1
    assert len(result.stdout.splitlines()) == 4
    assert "Found" not in result.stdout
