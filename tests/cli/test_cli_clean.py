"""``wsu clean``: the caches go, nothing else does."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import LEGACY_APP, write, wsu


def test_clean_removes_the_caches_under_the_paths(tmp_path: Path) -> None:
    write(tmp_path, {"a/app.py": LEGACY_APP, "b/app.py": LEGACY_APP, "a/keep.txt": "x"})
    for project in ("a", "b"):
        (tmp_path / project / "wsu.toml").write_text("")
        wsu("check", cwd=tmp_path / project)
        assert (tmp_path / project / ".wsu_cache" / "CACHEDIR.TAG").is_file()
    result = wsu("clean", "a", cwd=tmp_path)
    assert result.code == 0
    assert result.stderr == "Removing cache at: a/.wsu_cache\n"
    assert not (tmp_path / "a" / ".wsu_cache").exists()
    assert (tmp_path / "b" / ".wsu_cache").is_dir()
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["app.py", "keep.txt", "wsu.toml"]
    assert wsu("clean", "-q", cwd=tmp_path).stderr == ""
    assert not (tmp_path / "b" / ".wsu_cache").exists()
    assert wsu("clean", cwd=tmp_path).code == 0


def test_a_directory_wsu_did_not_make_is_left_alone(tmp_path: Path) -> None:
    write(tmp_path, {".wsu_cache/notes.txt": "mine"})
    result = wsu("clean", cwd=tmp_path)
    assert result.code == 0
    assert "no CACHEDIR.TAG written by wsu; left alone" in result.stderr
    assert (tmp_path / ".wsu_cache" / "notes.txt").read_text() == "mine"


def test_symlinked_cache_is_not_followed(tmp_path: Path) -> None:
    write(tmp_path / "elsewhere", {"app.py": LEGACY_APP, "wsu.toml": ""})
    wsu("check", cwd=tmp_path / "elsewhere")
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / ".wsu_cache").symlink_to(tmp_path / "elsewhere" / ".wsu_cache")
    assert wsu("clean", "project", cwd=tmp_path).code == 0
    assert (tmp_path / "elsewhere" / ".wsu_cache" / "CACHEDIR.TAG").is_file()


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    result = wsu("clean", "nowhere", cwd=tmp_path)
    assert result.code == 2
    assert "nowhere: no such file or directory" in result.stderr
