"""Colour in the text formats: --color, NO_COLOR, FORCE_COLOR and terminals."""

from __future__ import annotations

import io
import re
from pathlib import Path

from lint_plugin.output.colour import wants_colour
from tests.cli.helpers import LEGACY_APP, write, wsu

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_auto_follows_the_terminal_then_the_environment() -> None:
    assert wants_colour("auto", Terminal(), {}) is True
    assert wants_colour("auto", io.StringIO(), {}) is False
    assert wants_colour("auto", io.StringIO(), {"FORCE_COLOR": "1"}) is True
    assert wants_colour("auto", Terminal(), {"NO_COLOR": "1"}) is False
    assert wants_colour("auto", Terminal(), {"NO_COLOR": "1", "FORCE_COLOR": "1"}) is False
    # Empty values count as unset (no-color.org).
    assert wants_colour("auto", Terminal(), {"NO_COLOR": ""}) is True
    assert wants_colour("always", io.StringIO(), {"NO_COLOR": "1"}) is True
    assert wants_colour("never", Terminal(), {"FORCE_COLOR": "1"}) is False


def test_colour_on_request_and_only_around_the_same_text(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": LEGACY_APP})
    for fmt in ("full", "concise"):
        plain = wsu("check", "--output-format", fmt, cwd=tmp_path).stdout
        assert not ANSI.search(plain)
        coloured = wsu("check", "--output-format", fmt, "--color", "always", cwd=tmp_path).stdout
        assert "\x1b[1;31mWSU101\x1b[0m" in coloured
        assert ANSI.sub("", coloured) == plain
        forced = wsu("check", "--output-format", fmt, cwd=tmp_path, env={"FORCE_COLOR": "1"})
        assert forced.stdout == coloured
        refused = wsu(
            "check", "--output-format", fmt, cwd=tmp_path, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}
        )
        assert refused.stdout == plain
        never = wsu(
            "check",
            "--output-format",
            fmt,
            "--color",
            "never",
            env={"FORCE_COLOR": "1"},
            cwd=tmp_path,
        )
        assert never.stdout == plain


def test_machine_formats_and_files_stay_plain(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": LEGACY_APP})
    for fmt in ("json", "json-lines", "github", "gitlab", "junit", "pylint", "sarif"):
        result = wsu("check", "--output-format", fmt, "--color", "always", cwd=tmp_path)
        assert not ANSI.search(result.stdout), fmt
    wsu("check", "--output-file", "report.txt", cwd=tmp_path, env={"FORCE_COLOR": ""})
    assert not ANSI.search((tmp_path / "report.txt").read_text())
