"""--fix, --unsafe-fixes, --diff, --show-fixes and stdin: what gets written, and how."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from lint_plugin import cli, files
from lint_plugin.cli import workers
from lint_plugin.fixes import FixResult
from tests.cli.helpers import ALL_FIXED, LEGACY_APP, SAFE_FIXED, TIMEOUT_ONLY, write, wsu


def test_diff_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": LEGACY_APP})
    result = wsu("check", "--diff", cwd=tmp_path)
    assert result.code == 1
    assert (tmp_path / "app.py").read_text() == LEGACY_APP
    assert result.stdout.splitlines()[:3] == ["--- app.py", "+++ app.py", "@@ -2,6 +2,6 @@"]
    assert "-    async with connect(uri, extra_headers=h, timeout=5) as ws:" in result.stdout
    assert "+    async with connect(uri, extra_headers=h, close_timeout=5) as ws:" in result.stdout
    summary, target = result.stderr.strip().splitlines()
    assert summary == (
        "Would fix 1 error (3 hidden fixes can be enabled with the `--unsafe-fixes` option)."
    )
    assert target.startswith("Target websockets ")
    unsafe = wsu("check", "--diff", "--unsafe-fixes", cwd=tmp_path)
    assert "+from websockets.protocol import State" in unsafe.stdout
    assert unsafe.stderr.strip().splitlines()[0] == "Would fix 4 errors."


def test_diff_without_changes_exits_0(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": LEGACY_APP})
    result = wsu("check", "--diff", "--select", "WSU2", cwd=tmp_path)
    assert (result.code, result.stdout) == (0, "")


def test_fix_applies_safe_fixes_only(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": LEGACY_APP})
    result = wsu("check", "--fix", "--output-format", "concise", cwd=tmp_path)
    assert result.code == 1
    assert (tmp_path / "app.py").read_text() == SAFE_FIXED
    assert result.stdout.splitlines()[-2:] == [
        "Found 4 errors (1 fixed, 3 remaining).",
        "No fixes available (3 hidden fixes can be enabled with the `--unsafe-fixes` option).",
    ]


def test_unsafe_fixes_and_show_fixes(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": LEGACY_APP})
    result = wsu("check", "--fix", "--unsafe-fixes", "--show-fixes", cwd=tmp_path)
    assert result.code == 0, result.stdout
    assert (tmp_path / "app.py").read_text() == ALL_FIXED
    assert result.stdout.splitlines() == [
        "Fixed 4 errors:",
        "- app.py:",
        "    1 \u00d7 WSU101 (legacy-module-import)",
        "    1 \u00d7 WSU201 (connection-open)",
        "    1 \u00d7 WSU401 (connect-extra-headers)",
        "    1 \u00d7 WSU406 (timeout-argument)",
        "",
        "Found 4 errors (4 fixed, 0 remaining).",
    ]


def test_fix_keeps_crlf_mode_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_bytes(LEGACY_APP.replace("\n", "\r\n").encode())
    path.chmod(0o751)
    result = wsu("check", "--fix", "--unsafe-fixes", cwd=tmp_path)
    assert result.code == 0, result.stdout
    assert path.read_bytes() == ALL_FIXED.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o751
    assert sorted(p.name for p in tmp_path.iterdir()) == [".wsu_cache", "app.py"]


def test_fix_keeps_byte_order_mark_and_declared_encoding(tmp_path: Path) -> None:
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbf" + TIMEOUT_ONLY.encode())
    latin = tmp_path / "latin.py"
    latin_text = "# -*- coding: latin-1 -*-\n# café\n" + TIMEOUT_ONLY
    latin.write_bytes(latin_text.encode("latin-1"))
    result = wsu("check", "--fix", cwd=tmp_path)
    assert result.code == 0, result.stdout
    fixed = TIMEOUT_ONLY.replace("timeout=5", "close_timeout=5")
    assert bom.read_bytes() == b"\xef\xbb\xbf" + fixed.encode()
    assert latin.read_bytes() == ("# -*- coding: latin-1 -*-\n# café\n" + fixed).encode("latin-1")


def test_fix_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    write(tmp_path, {"real/app.py": TIMEOUT_ONLY})
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").symlink_to(tmp_path / "real" / "app.py")
    result = wsu("check", "--fix", "src/app.py", cwd=tmp_path)
    assert result.code == 0, result.stdout
    assert (tmp_path / "src" / "app.py").is_symlink()
    assert "close_timeout=5" in (tmp_path / "real" / "app.py").read_text()


def test_stdin_check_and_fix(tmp_path: Path) -> None:
    checked = wsu(
        "check",
        "--output-format",
        "concise",
        "--stdin-filename",
        "svc/app.py",
        "-",
        cwd=tmp_path,
        stdin=LEGACY_APP,
    )
    assert checked.code == 1
    assert checked.stdout.splitlines()[0].startswith("svc/app.py:1:1: WSU101")
    fixed = wsu("check", "--fix", "-", cwd=tmp_path, stdin=LEGACY_APP)
    assert fixed.code == 1
    assert fixed.stdout == SAFE_FIXED
    assert "Found 4 errors (1 fixed, 3 remaining)." in fixed.stderr
    diff = wsu("check", "--diff", "-", cwd=tmp_path, stdin=TIMEOUT_ONLY)
    assert diff.code == 1
    assert diff.stdout.startswith("--- -\n+++ -\n")
    assert list(tmp_path.iterdir()) == []


def run_in_process(
    args: list[str], cwd: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_file_changed_during_the_run_is_not_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"app.py": TIMEOUT_ONLY})
    edited = TIMEOUT_ONLY + "# edited meanwhile\n"
    real_fix_source = workers.fix_source

    def fix_while_someone_edits(*args: Any, **kwargs: Any) -> FixResult:
        (tmp_path / "app.py").write_text(edited)
        return real_fix_source(*args, **kwargs)

    monkeypatch.setattr(workers, "fix_source", fix_while_someone_edits)
    code, out, err = run_in_process(
        ["check", "--fix", "--jobs", "1", "--output-format", "concise"],
        tmp_path,
        capsys,
        monkeypatch,
    )
    assert (tmp_path / "app.py").read_text() == edited
    assert "warning: app.py: fixes not written: the file changed on disk" in err
    assert code == 1
    assert out.splitlines() == [
        "app.py:5:29: WSU406 [*] `timeout` is deprecated since websockets 7.0; "
        "use `close_timeout=`",
        "Found 1 error.",
        "[*] 1 fixable with the `--fix` option.",
    ]


def test_failed_write_leaves_the_file_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"app.py": TIMEOUT_ONLY})

    def disk_full(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", disk_full)
    code, _, err = run_in_process(["check", "--fix", "--no-cache"], tmp_path, capsys, monkeypatch)
    assert code == 2
    assert "error: app.py: fixes not written: No space left on device" in err
    assert (tmp_path / "app.py").read_text() == TIMEOUT_ONLY
    assert [p.name for p in tmp_path.iterdir()] == ["app.py"]


def test_fixer_trouble_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"app.py": TIMEOUT_ONLY})

    def troubled(source: str, *args: Any, **kwargs: Any) -> FixResult:
        return FixResult(source, converged=False, non_converging=("WSU406",), rejected=("WSU401",))

    monkeypatch.setattr(workers, "fix_source", troubled)
    code, _, err = run_in_process(["check", "--fix", "--no-cache"], tmp_path, capsys, monkeypatch)
    assert code == 0
    assert "warning: app.py: the fixes for WSU401 would have made the file invalid Python" in err
    assert "warning: app.py: fixes for WSU406 did not converge" in err
    assert (tmp_path / "app.py").read_text() == TIMEOUT_ONLY


def test_internal_error_in_one_file_exits_2_and_reports_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"a.py": TIMEOUT_ONLY, "b.py": TIMEOUT_ONLY.replace("uri", "url")})
    real_check_source = workers.check_source

    def crash_on_a(source: str, **kwargs: Any) -> Any:
        if kwargs["filename"] == "a.py":
            raise RuntimeError("rule bug")
        return real_check_source(source, **kwargs)

    monkeypatch.setattr(workers, "check_source", crash_on_a)
    code, out, err = run_in_process(
        ["check", "--no-cache", "--jobs", "1", "--output-format", "concise"],
        tmp_path,
        capsys,
        monkeypatch,
    )
    assert code == 2
    assert "error: a.py: internal error, please report it:" in err
    assert "RuntimeError: rule bug" in err
    assert out.splitlines()[0].startswith("b.py:5:29: WSU406")


def test_read_only_file_is_not_fixed_and_exits_2(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": TIMEOUT_ONLY, "other.py": TIMEOUT_ONLY})
    (tmp_path / "app.py").chmod(0o444)
    result = wsu("check", "--fix", "--no-cache", "--output-format", "concise", cwd=tmp_path)
    assert result.code == 2
    assert (
        "error: app.py: fixes not written: the file is read-only (no write permission); "
        "make it writable to fix it"
    ) in result.stderr
    assert (tmp_path / "app.py").read_text() == TIMEOUT_ONLY
    assert stat.S_IMODE((tmp_path / "app.py").stat().st_mode) == 0o444
    # The other files are still fixed, and the read-only one is reported as it is on disk.
    assert (tmp_path / "other.py").read_text() == TIMEOUT_ONLY.replace("timeout=", "close_timeout=")
    assert result.stdout.splitlines()[0].startswith("app.py:5:29: WSU406")


def test_file_that_does_not_compile_is_not_blamed_on_the_fixes(tmp_path: Path) -> None:
    # `return` outside a function parses but does not compile: no fix can compile either.
    broken = TIMEOUT_ONLY + "return 1\n"
    write(tmp_path, {"app.py": broken})
    result = wsu("check", "--fix", "--no-cache", cwd=tmp_path)
    assert (
        "warning: app.py: not fixed: the file does not compile as it is "
        "(line 7: 'return' outside function)"
    ) in result.stderr
    assert "please report" not in result.stderr
    assert (tmp_path / "app.py").read_text() == broken
