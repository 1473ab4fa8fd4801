"""lint_plugin.api: checking and fixing strings and paths from Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint_plugin import api
from lint_plugin.settings import SettingsError
from tests.cli.helpers import ALL_FIXED, CLEAN, LEGACY_APP, LEGACY_CODES, TIMEOUT_ONLY, write


def codes(report: api.Report) -> list[str]:
    return [d.code for d in report.diagnostics]


def test_check_a_string(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    report = api.check(LEGACY_APP)
    assert codes(report) == LEGACY_CODES
    assert (report.path, report.source, report.fixed_source) == (None, LEGACY_APP, None)
    first = report.diagnostics[0]
    assert (first.start, first.name) == (api.Position(1, 0), "legacy-module-import")
    assert codes(api.check(LEGACY_APP, select=["WSU2"])) == ["WSU201"]
    assert codes(api.check(LEGACY_APP, ignore=["WSU1", "WSU4"])) == ["WSU201"]
    assert api.check(CLEAN).diagnostics == ()
    broken = api.check("import websockets\nx = (\n")
    assert broken.syntax_error is not None and broken.syntax_error.line == 2
    with pytest.raises(SettingsError, match="unknown rule selector 'WSU9'"):
        api.check(LEGACY_APP, select=["WSU9"])


def test_a_path_brings_its_configuration(tmp_path: Path) -> None:
    write(tmp_path, {"wsu.toml": '[per-file-ignores]\n"tests/*" = ["WSU1"]\n'})
    report = api.check(LEGACY_APP, path=tmp_path / "tests" / "test_app.py")
    assert codes(report) == LEGACY_CODES[1:]
    assert codes(api.check(LEGACY_APP, path=tmp_path / "app.py")) == LEGACY_CODES
    unconfigured = api.check(LEGACY_APP, path=tmp_path / "tests" / "x.py", use_config=False)
    assert codes(unconfigured) == LEGACY_CODES


def test_fix_a_string(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    safe = api.fix(TIMEOUT_ONLY)
    assert safe.fixed_source == TIMEOUT_ONLY.replace("timeout=", "close_timeout=")
    assert safe.fixed == {"WSU406": 1}
    assert safe.changed
    assert codes(safe) == []
    unsafe = api.fix(LEGACY_APP, unsafe=True)
    assert unsafe.diagnostics == ()
    assert sorted(unsafe.fixed) == sorted(LEGACY_CODES)
    assert not api.fix(CLEAN).changed


def test_check_and_fix_a_tree(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "wsu.toml": 'extend-exclude = ["generated"]\n',
            "src/app.py": LEGACY_APP,
            "src/clean.py": CLEAN,
            "generated/app.py": LEGACY_APP,
        },
    )
    (tmp_path / "src" / "bad.py").write_bytes(b"import websockets\nx = '\xff'\n")
    reports = {r.path.name if r.path else "": r for r in api.check_path(tmp_path)}
    assert sorted(reports) == ["app.py", "bad.py", "clean.py"]
    assert codes(reports["app.py"]) == LEGACY_CODES
    assert reports["bad.py"].error is not None and "cannot decode" in reports["bad.py"].error
    api.check_path(tmp_path / "src", fix=True)
    assert (tmp_path / "src" / "app.py").read_text() == LEGACY_APP
    written = api.check_path(tmp_path / "src" / "app.py", fix=True, unsafe=True, write=True)
    assert [sorted(r.fixed) for r in written] == [sorted(LEGACY_CODES)]
    assert (tmp_path / "src" / "app.py").read_text() == ALL_FIXED
    with pytest.raises(ValueError, match="write=True needs fix=True"):
        api.check_path(tmp_path, write=True)


def test_read_only_files_are_not_written(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": TIMEOUT_ONLY})
    (tmp_path / "app.py").chmod(0o444)
    (report,) = api.check_path(tmp_path / "app.py", fix=True, write=True)
    assert report.error is not None and "read-only" in report.error
    assert (tmp_path / "app.py").read_text() == TIMEOUT_ONLY
