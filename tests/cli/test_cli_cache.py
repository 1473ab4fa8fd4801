"""The content-hash cache: hits on unchanged files, misses on changes, robust to damage."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import CLEAN, LEGACY_APP, TIMEOUT_ONLY, write, wsu


def cached(result_stderr: str) -> int:
    line = next(line for line in result_stderr.splitlines() if "cached:" in line)
    return int(line.rsplit("cached:", 1)[1])


def test_second_run_reads_the_cache(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": LEGACY_APP, "b.py": TIMEOUT_ONLY, "c.py": CLEAN})
    first = wsu("check", "-v", "--output-format", "concise", cwd=tmp_path)
    assert cached(first.stderr) == 0
    assert (tmp_path / ".wsu_cache" / "CACHEDIR.TAG").is_file()
    second = wsu("check", "-v", "--output-format", "concise", cwd=tmp_path)
    assert cached(second.stderr) == 3
    assert second.stdout == first.stdout
    assert second.code == first.code == 1
    write(tmp_path, {"b.py": TIMEOUT_ONLY + "\n"})
    third = wsu("check", "-v", "--output-format", "concise", cwd=tmp_path)
    assert cached(third.stderr) == 2


def test_settings_are_part_of_the_key(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": LEGACY_APP})
    wsu("check", cwd=tmp_path)
    narrowed = wsu("check", "-v", "--select", "WSU2", "--output-format", "concise", cwd=tmp_path)
    assert cached(narrowed.stderr) == 0
    assert narrowed.stdout.splitlines()[0].startswith("a.py:6:12: WSU201")


def test_no_cache_neither_reads_nor_writes(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": LEGACY_APP})
    result = wsu("check", "-v", "--no-cache", cwd=tmp_path)
    assert cached(result.stderr) == 0
    assert not (tmp_path / ".wsu_cache").exists()


def test_cache_dir_option(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": LEGACY_APP})
    wsu("check", "--cache-dir", "elsewhere", cwd=tmp_path)
    assert (tmp_path / "elsewhere").is_dir()
    assert not (tmp_path / ".wsu_cache").exists()
    again = wsu("check", "-v", "--cache-dir", "elsewhere", cwd=tmp_path)
    assert cached(again.stderr) == 1


def test_damaged_cache_entries_are_ignored(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": LEGACY_APP, "b.py": TIMEOUT_ONLY})
    expected = wsu("check", "--output-format", "concise", cwd=tmp_path)
    entries = list((tmp_path / ".wsu_cache").rglob("*.json"))
    assert len(entries) == 2
    entries[0].write_text('{"format": 1, "diagnostics": [{"code": ')
    entries[1].write_text('{"format": 1, "diagnostics": 7}')
    result = wsu("check", "-v", "--output-format", "concise", cwd=tmp_path)
    assert cached(result.stderr) == 0
    assert result.stdout == expected.stdout


def test_fix_uses_and_refreshes_the_cache(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": LEGACY_APP})
    wsu("check", cwd=tmp_path)
    fixed = wsu("check", "--fix", cwd=tmp_path)
    assert "Found 4 errors (1 fixed, 3 remaining)." in fixed.stdout
    # What --fix wrote was cached as it was written.
    after = wsu("check", "-v", "--output-format", "concise", cwd=tmp_path)
    assert cached(after.stderr) == 1
    assert "Found 3 errors." in after.stdout


def test_any_unreadable_entry_is_ignored_and_rewritten(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": LEGACY_APP})
    expected = wsu("check", "--output-format", "concise", cwd=tmp_path)
    (entry,) = (tmp_path / ".wsu_cache").rglob("*.json")
    good = entry.read_bytes()
    damages = [
        bytes(range(256)) * 4,
        b"[" * 100_000,
        b'{"format": 1, "diagnostics": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        good.replace(b'"code":"WSU101"', b'"code":["WSU101"]'),
        good.replace(b'"skipped":false', b'"skipped":false,"format":1').replace(
            b'"noqa_warnings":[]', b'"noqa_warnings":{"a":1}'
        ),
        b'"a string"',
    ]
    for damage in damages:
        assert damage != good
        entry.write_bytes(damage)
        result = wsu("check", "-v", "--output-format", "concise", cwd=tmp_path)
        assert (result.code, result.stdout) == (1, expected.stdout), damage[:40]
        assert cached(result.stderr) == 0
        assert entry.read_bytes() == good
