"""``wsu check`` reads each file as bytes and tests them for a target module before
decoding it: what that test must not change."""

from __future__ import annotations

import os
from pathlib import Path

from lint_plugin.files import Walker, plain_utf8
from tests.cli.helpers import TIMEOUT_ONLY, UNRELATED, write, wsu


def test_plain_utf8_is_only_what_the_interpreter_reads_as_utf8() -> None:
    assert plain_utf8(b"import json\n")
    assert plain_utf8("name = 'été'\n".encode())
    assert not plain_utf8(b"\xef\xbb\xbfimport json\n")
    assert not plain_utf8(b"#!/usr/bin/env python\n# -*- coding: latin-1 -*-\nx = 1\n")
    assert not plain_utf8(b"name = '\xe9t\xe9'\n")
    # A cookie counts on the first two lines only.
    assert plain_utf8(b"x = 1\ny = 2\n# coding: latin-1\n")


def test_a_target_module_only_the_declared_encoding_shows_is_found(tmp_path: Path) -> None:
    # Its bytes never spell the module's name: only the decoded text does.
    hidden = TIMEOUT_ONLY.replace("websockets", "\\x77ebsockets")
    (tmp_path / "escaped.py").write_bytes(b"# coding: unicode_escape\n" + hidden.encode())
    result = wsu("check", "--no-cache", "--output-format", "concise", cwd=tmp_path)
    assert result.code == 1
    assert result.stdout.splitlines()[0].startswith("escaped.py:6:29: WSU406 [*] `timeout`")


def test_an_undecodable_file_is_reported_without_a_target_module(tmp_path: Path) -> None:
    write(tmp_path, {"good.py": UNRELATED})
    (tmp_path / "bad.py").write_bytes(b"x = 1\nname = '\xe9t\xe9'\n")
    result = wsu("check", "--no-cache", "--output-format", "json", cwd=tmp_path)
    assert result.code == 1
    [problem] = result.json()
    assert (Path(problem["filename"]).name, problem["name"]) == ("bad.py", "io-error")
    assert problem["location"]["row"] == 2


def test_files_listed_without_findings_are_every_file_found(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": TIMEOUT_ONLY, "b.py": UNRELATED, "c/d.pyi": UNRELATED})
    result = wsu("check", "--no-cache", "--output-format", "junit", cwd=tmp_path)
    assert result.code == 1
    for name in ("a.py", "b.py", os.path.join("c", "d.pyi")):
        assert f'<testsuite name="{name}"' in result.stdout
    verbose = wsu("check", "--no-cache", "-v", cwd=tmp_path)
    assert "wsu: files: 3 found, 1 mention websockets/websockets_impl" in verbose.stderr


def test_files_come_in_the_order_of_their_paths(tmp_path: Path) -> None:
    write(tmp_path, {"a-b.py": "", "a/b.py": "", "a/c/d.py": "", "a0.py": "", "B.py": ""})
    found = Walker(tmp_path, ()).discover([tmp_path])
    assert found.files == sorted(found.files)
    assert [f.relative_to(tmp_path).as_posix() for f in found.files][:3] == [
        "B.py",
        "a/b.py",
        "a/c/d.py",
    ]
