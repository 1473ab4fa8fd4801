"""Which files get checked, and files that cannot be: excludes, .gitignore, symlinks,
encodings, syntax errors, stdin, noqa warnings, parallel runs."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from tests.cli.helpers import LEGACY_APP, TIMEOUT_ONLY, write, wsu


def checked_files(cwd: Path, *args: str) -> list[str]:
    result = wsu("check", "--output-format", "json", "--no-cache", *args, cwd=cwd)
    assert result.code in (0, 1), result.stderr
    return sorted({str(Path(item["filename"]).relative_to(cwd)) for item in result.json()})


def test_directories_are_walked_for_py_and_pyi_only(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.py": TIMEOUT_ONLY,
            "pkg/b.pyi": TIMEOUT_ONLY,
            "pkg/c.txt": TIMEOUT_ONLY,
            "pkg/script": TIMEOUT_ONLY,
        },
    )
    assert checked_files(tmp_path) == ["a.py", "pkg/b.pyi"]
    # Named explicitly, a file is checked whatever its name.
    assert checked_files(tmp_path, "pkg/script") == ["pkg/script"]


def test_default_and_configured_excludes(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "wsu.toml": 'extend-exclude = ["generated", "legacy_*.py", "src/vendored/*"]\n',
            "app.py": TIMEOUT_ONLY,
            ".venv/lib/site.py": TIMEOUT_ONLY,
            "build/generated/x.py": TIMEOUT_ONLY,
            "src/legacy_shim.py": TIMEOUT_ONLY,
            "src/vendored/lib.py": TIMEOUT_ONLY,
            "src/ok.py": TIMEOUT_ONLY,
        },
    )
    assert checked_files(tmp_path) == ["app.py", "src/ok.py"]
    # A path named on the command line is checked anyway, unless --force-exclude.
    assert checked_files(tmp_path, "src/legacy_shim.py") == ["src/legacy_shim.py"]
    assert checked_files(tmp_path, "--force-exclude", "src/legacy_shim.py") == []
    # `exclude` replaces the defaults.
    assert ".venv/lib/site.py" in checked_files(tmp_path, "--exclude", "build")


def test_gitignore_files_are_honoured(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".gitignore": "out/\n*_pb2.py\n",
            "app.py": TIMEOUT_ONLY,
            "out/gen.py": TIMEOUT_ONLY,
            "api/service_pb2.py": TIMEOUT_ONLY,
            "api/.gitignore": "!keep_pb2.py\nlocal.py\n",
            "api/keep_pb2.py": TIMEOUT_ONLY,
            "api/local.py": TIMEOUT_ONLY,
            "api/real.py": TIMEOUT_ONLY,
        },
    )
    (tmp_path / ".git").mkdir()
    assert checked_files(tmp_path) == ["api/keep_pb2.py", "api/real.py", "app.py"]
    # An ignored directory named on the command line is walked (as ruff does).
    assert checked_files(tmp_path, "out") == ["out/gen.py"]


def test_gitignore_above_the_checked_directory_applies(tmp_path: Path) -> None:
    write(tmp_path, {".gitignore": "*_pb2.py\n", "src/a.py": TIMEOUT_ONLY, "src/b_pb2.py": ""})
    (tmp_path / ".git").mkdir()
    assert checked_files(tmp_path / "src") == ["a.py"]


def test_symlink_loop_is_skipped_with_a_warning(tmp_path: Path) -> None:
    write(tmp_path, {"pkg/app.py": TIMEOUT_ONLY})
    (tmp_path / "pkg" / "again").symlink_to(tmp_path / "pkg", target_is_directory=True)
    (tmp_path / "self.py").symlink_to(tmp_path / "self.py")
    result = wsu("check", "--output-format", "concise", cwd=tmp_path)
    assert result.code == 1
    assert "warning: " in result.stderr and "symlink loop" in result.stderr
    assert "pkg/app.py:5:29: WSU406" in result.stdout
    assert "self.py:1:1: io-error: cannot read: Too many levels of symbolic links" in result.stdout
    assert "again" not in result.stdout


def test_undecodable_file_is_an_error_for_that_file_only(tmp_path: Path) -> None:
    write(tmp_path, {"good.py": TIMEOUT_ONLY})
    (tmp_path / "bad.py").write_bytes(b"import websockets\nname = '\xe9t\xe9'\n")
    latin = b"# coding: latin-1\nimport websockets\nname = '\xe9t\xe9'\n"
    (tmp_path / "latin.py").write_bytes(latin)
    result = wsu("check", "--output-format", "json", cwd=tmp_path)
    assert result.code == 1
    by_file = {Path(i["filename"]).name: i for i in result.json()}
    assert set(by_file) == {"bad.py", "good.py"}
    bad = by_file["bad.py"]
    assert (bad["code"], bad["name"], bad["location"]["row"]) == (None, "io-error", 2)
    assert bad["message"].startswith("cannot decode as utf-8")


def test_syntax_error_is_reported_not_raised(tmp_path: Path) -> None:
    write(tmp_path, {"broken.py": "import websockets\nif True\n    pass\n"})
    result = wsu("check", "--output-format", "concise", cwd=tmp_path)
    assert result.code == 1
    # Python's own message: 3.10 made it more helpful.
    message = "expected ':'" if sys.version_info >= (3, 10) else "invalid syntax"
    assert result.stdout.splitlines()[0] == f"broken.py:2:8: invalid-syntax: SyntaxError: {message}"
    assert "Traceback" not in result.stderr


def test_noqa_suppresses_and_malformed_noqa_warns(tmp_path: Path) -> None:
    source = LEGACY_APP.replace(
        "from websockets.legacy.client import connect",
        "from websockets.legacy.client import connect  # noqa: WSU101",
    ).replace("        if ws.open:", "        if ws.open:  # noqa:WSU2O1")
    write(tmp_path, {"app.py": source})
    result = wsu("check", "--output-format", "concise", cwd=tmp_path)
    assert [line.split()[1] for line in result.stdout.splitlines()[:-2]] == [
        "WSU401",
        "WSU406",
        "WSU201",
    ]
    assert "warning: app.py:6:22: malformed noqa directive" in result.stderr


def test_parallel_run_reports_what_a_serial_one_does(tmp_path: Path) -> None:
    write(tmp_path, {f"pkg{i}/mod{j}.py": LEGACY_APP for i in range(3) for j in range(4)})
    serial = wsu("check", "--jobs", "1", "--no-cache", "--output-format", "concise", cwd=tmp_path)
    parallel = wsu("check", "--jobs", "2", "--no-cache", "--output-format", "concise", cwd=tmp_path)
    assert serial.code == parallel.code == 1
    assert parallel.stdout == serial.stdout
    assert parallel.stdout.splitlines()[-2] == "Found 48 errors."
    assert wsu("check", "--jobs", "0", cwd=tmp_path).code == 2


def test_verbose_explains_the_target_version(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "requirements.txt": "# pinned\naiohttp>=3\nwebsockets==13.1  # upgrade next\n",
            "app.py": TIMEOUT_ONLY,
        },
    )
    result = wsu("check", "-v", cwd=tmp_path)
    assert "target version 13.1 (from requirements.txt:3: websockets==13.1)" in result.stderr
    assert os.path.basename(str(tmp_path)) not in result.stdout


def test_pre_commit_hooks_run_as_declared(tmp_path: Path) -> None:
    hooks = (Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml").read_text()
    entries = dict(re.findall(r"- id: (\S+)\n(?:  .*\n)*?  entry: (.+)\n", hooks))
    assert set(entries) == {"wsu-check", "wsu-fix"}
    write(
        tmp_path,
        {"wsu.toml": 'extend-exclude = ["generated"]\n', "a.py": TIMEOUT_ONLY},
    )
    write(tmp_path, {"generated/b.py": TIMEOUT_ONLY})
    # pre-commit passes the staged file names, excluded ones included.
    program, *args = entries["wsu-check"].split()
    assert program == "wsu"
    check = wsu(*args, "a.py", "generated/b.py", "--output-format", "concise", cwd=tmp_path)
    assert check.code == 1
    assert [line.split(":")[0] for line in check.stdout.splitlines()[:-2]] == ["a.py"]
    program, *args = entries["wsu-fix"].split()
    fix = wsu(*args, "a.py", "generated/b.py", cwd=tmp_path)
    assert fix.code == 0, fix.stdout
    assert "close_timeout" in (tmp_path / "a.py").read_text()
    assert (tmp_path / "generated" / "b.py").read_text() == TIMEOUT_ONLY
