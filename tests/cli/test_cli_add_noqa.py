"""--add-noqa: a directive for every finding, merged with what is there, never breaking code.

A finding on a line that cannot end with a comment (inside a multi-line string, before a
backslash) gets its directive where the string or the statement ends, as in ruff, and the
engine reads it there."""

from __future__ import annotations

import stat
from pathlib import Path

from lint_plugin.noqa_placement import Skipped, add_noqa
from tests.cli.helpers import LEGACY_APP, LEGACY_CODES, write, wsu

TRICKY = '''\
from websockets.legacy.client import connect


async def main(uri, h):
    async with connect(uri, extra_headers=h) as ws:  # noqa: E501
        if ws.open and f("""
{ws.open}"""):
            await ws.send("hi")
        x = ws.open + \\
            1
'''


def test_merges_with_existing_directives_and_other_comments() -> None:
    source = "a = 1  # why\nb = 2  # noqa: E501\nc = 3  # NOQA:WSU1\n"
    result = add_noqa(source, [(1, "WSU201"), (2, "WSU406"), (2, "WSU401"), (3, "WSU101")])
    assert result.text == (
        "a = 1  # why  # noqa: WSU201\nb = 2  # noqa: E501, WSU401, WSU406\nc = 3  # NOQA:WSU1\n"
    )
    assert (result.added, result.skipped) == (2, [])


def test_lines_that_cannot_hold_a_comment_get_it_where_the_statement_ends() -> None:
    result = add_noqa(TRICKY, [(6, "WSU201"), (9, "WSU201"), (10, "WSU202"), (5, "WSU401")])
    assert result.skipped == []
    assert result.added == 3
    lines = result.text.splitlines()
    assert lines[4].endswith("as ws:  # noqa: E501, WSU401")
    assert lines[5] == '        if ws.open and f("""'
    assert lines[6] == '{ws.open}"""):  # noqa: WSU201'
    assert lines[8] == "        x = ws.open + \\"
    assert lines[9] == "            1  # noqa: WSU201, WSU202"
    compile(result.text, "tricky.py", "exec")


def test_a_malformed_directive_is_left_for_the_user() -> None:
    malformed = add_noqa("x = 1  # noqa:WSU1O1\n", [(1, "WSU201")])
    assert malformed.skipped == [
        Skipped(1, "a malformed noqa directive is there; correct it first")
    ]
    assert malformed.text == "x = 1  # noqa:WSU1O1\n"
    untokenizable = add_noqa("x = (\n", [(1, "WSU201")])
    assert untokenizable.skipped == [Skipped(1, "the file does not tokenize")]


def test_crlf_and_no_final_newline() -> None:
    assert add_noqa("x = 1\r\ny = 2", [(1, "WSU201"), (2, "WSU202")]).text == (
        "x = 1  # noqa: WSU201\r\ny = 2  # noqa: WSU202"
    )


def test_add_noqa_silences_every_finding(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": LEGACY_APP, "tricky.py": TRICKY})
    result = wsu("check", "--add-noqa", "--no-cache", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert "Added 7 noqa directives." in result.stderr
    assert "warning" not in result.stderr
    app = (tmp_path / "app.py").read_text()
    assert "connect  # noqa: WSU101\n" in app
    assert "timeout=5) as ws:  # noqa: WSU401, WSU406\n" in app
    compile(app, "app.py", "exec")
    compile((tmp_path / "tricky.py").read_text(), "tricky.py", "exec")
    after = wsu("check", "--no-cache", "--output-format", "json", cwd=tmp_path)
    assert (after.code, after.json()) == (0, [])
    # Nothing more to add: the files are left as they are.
    again = wsu("check", "--add-noqa", "--no-cache", cwd=tmp_path)
    assert "Added 0 noqa directives." in again.stderr
    assert (tmp_path / "app.py").read_text() == app
    assert set(LEGACY_CODES) <= set(app.replace(",", " ").split())


def test_add_noqa_refuses_read_only_files_and_other_modes(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": LEGACY_APP})
    (tmp_path / "app.py").chmod(0o444)
    result = wsu("check", "--add-noqa", "--no-cache", cwd=tmp_path)
    assert result.code == 2
    assert "error: app.py: noqa comments not written: the file is read-only" in result.stderr
    assert (tmp_path / "app.py").read_text() == LEGACY_APP
    assert stat.S_IMODE((tmp_path / "app.py").stat().st_mode) == 0o444
    both = wsu("check", "--add-noqa", "--fix", cwd=tmp_path)
    assert both.code == 2
    assert "--add-noqa works on files and cannot be combined" in both.stderr
