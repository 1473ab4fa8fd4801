"""Engine positions (code points) <-> LSP positions (UTF-16 units by default)."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types

from lint_plugin.lsp import convert
from lint_plugin.lsp.convert import (
    Encoding,
    TextLines,
    to_lsp_diagnostic,
    to_text_edits,
    units,
)
from lint_plugin.model import Applicability, Diagnostic, Edit, Fix, Position

# `ws.open` starts at code point 12 on line 2, after an accented letter and an emoji.
TEXT = 'x = 1\nprint("é😀", ws.open)\n'
START, END = Position(2, 12), Position(2, 19)


@pytest.mark.parametrize(
    ("encoding", "start", "end"),
    [(Encoding.UTF16, 13, 20), (Encoding.UTF8, 16, 23), (Encoding.UTF32, 12, 19)],
)
def test_positions_after_non_ascii_text(encoding: Encoding, start: int, end: int) -> None:
    lines = TextLines(TEXT)
    assert lines.range(START, END, encoding) == types.Range(
        types.Position(1, start), types.Position(1, end)
    )
    assert lines.from_lsp(types.Position(1, start), encoding) == START
    assert lines.from_lsp(types.Position(1, end), encoding) == END


def test_units() -> None:
    assert units("é😀", Encoding.UTF16) == 3
    assert units("é😀", Encoding.UTF8) == 6
    assert units("é😀", Encoding.UTF32) == 2
    # A lone surrogate (JSON allows one) is one unit, not an error.
    assert units("\udcff", Encoding.UTF16) == 1
    assert units("\udcff", Encoding.UTF8) == 3


def test_a_column_inside_a_character_rounds_down() -> None:
    lines = TextLines(TEXT)
    # The emoji is code point 8: UTF-16 units 8-9, UTF-8 bytes 9-12 (after the two of é).
    assert lines.from_lsp(types.Position(1, 9), Encoding.UTF16) == Position(2, 8)
    assert lines.from_lsp(types.Position(1, 10), Encoding.UTF16) == Position(2, 9)
    assert lines.from_lsp(types.Position(1, 8), Encoding.UTF8) == Position(2, 7)
    assert lines.from_lsp(types.Position(1, 11), Encoding.UTF8) == Position(2, 8)


def test_lines_break_as_in_lsp_not_as_splitlines() -> None:
    # \x0c and \u2028 are not line breaks for LSP or Python; \r\n and a lone \r are.
    lines = TextLines("a = '\u2028'\x0c\r\nb = 1\rc = ws.open")
    assert lines.to_lsp(Position(3, 4), Encoding.UTF16) == types.Position(2, 4)
    assert lines.from_lsp(types.Position(2, 4), Encoding.UTF16) == Position(3, 4)


def test_positions_past_the_end_are_clamped() -> None:
    lines = TextLines("x = 1\ny = 2")
    assert lines.from_lsp(types.Position(0, 99), Encoding.UTF16) == Position(1, 5)
    assert lines.from_lsp(types.Position(7, 0), Encoding.UTF16) == Position(2, 5)
    assert lines.to_lsp(Position(9, 0), Encoding.UTF16) == types.Position(1, 5)
    assert lines.whole(Encoding.UTF16) == types.Range(types.Position(0, 0), types.Position(1, 5))
    assert TextLines("x\n").end(Encoding.UTF16) == types.Position(1, 0)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\u00e9\U0001f600\r\n\x0c\u2028", max_size=30))
def test_lines_are_lsps_lines(text: str) -> None:
    lines = TextLines(text)
    expected = re.split(r"\r\n|\r|\n", text)
    assert [lines.line(i) for i in range(lines.count)] == expected
    for encoding in Encoding:
        for number, line in enumerate(expected, start=1):
            width = units(line, encoding)
            assert lines.to_lsp(Position(number, 99), encoding) == types.Position(number - 1, width)
            assert lines.from_lsp(types.Position(number - 1, 99), encoding) == Position(
                number, len(line)
            )
        last = types.Position(len(expected) - 1, units(expected[-1], encoding))
        assert lines.to_lsp(Position(len(expected) + 3, 0), encoding) == last
        assert lines.to_lsp(Position(0, -1), encoding) == types.Position(0, 0)
        assert lines.end(encoding) == last


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab\n", max_size=40))
def test_line_starts_do_not_depend_on_the_pieces_scanned(text: str) -> None:
    """The buffer is split a piece at a time (``SCAN_PIECE``): lines across pieces too."""
    expected = text.split("\n")
    for piece in (1, 2, 3, 5, 64):
        with mock.patch.object(convert, "SCAN_PIECE", piece):
            lines = TextLines(text)
        assert [lines.line(i) for i in range(lines.count)] == expected, piece


def _diagnostic(fix: Fix | None, fix_title: str | None = None) -> Diagnostic:
    return Diagnostic(
        "WSU201", "connection-open", "`ws.open` is gone", START, END, fix_title=fix_title, fix=fix
    )


def test_diagnostic_fields() -> None:
    fix = Fix((Edit(START, END, "ws.state is State.OPEN"),), Applicability.UNSAFE, "Replace it")
    converted = to_lsp_diagnostic(_diagnostic(fix), TextLines(TEXT), Encoding.UTF16)

    assert converted.range == types.Range(types.Position(1, 13), types.Position(1, 20))
    assert converted.message == "`ws.open` is gone (fix: Replace it)"
    assert converted.severity == types.DiagnosticSeverity.Warning
    assert converted.code == "WSU201"
    assert converted.source == "wsu"
    assert converted.tags == [types.DiagnosticTag.Deprecated]
    assert converted.code_description is not None
    assert converted.code_description.href.endswith("/rules/WSU201/")


def test_a_title_without_an_applicable_fix_is_a_hint() -> None:
    display_only = Fix((), Applicability.DISPLAY_ONLY, "Review it")
    lines = TextLines(TEXT)
    assert to_lsp_diagnostic(_diagnostic(display_only), lines, Encoding.UTF16).message.endswith(
        "(hint: Review it)"
    )
    hint = to_lsp_diagnostic(_diagnostic(None, "Use something"), lines, Encoding.UTF16)
    assert hint.message.endswith("(hint: Use something)")
    assert to_lsp_diagnostic(_diagnostic(None), lines, Encoding.UTF16).message == (
        "`ws.open` is gone"
    )


def test_edits_take_the_documents_line_ending() -> None:
    lines = TextLines(TEXT.replace("\n", "\r\n"))
    insert = Edit.insertion(Position(2, 0), "from websockets.protocol import State\n")
    (edit,) = to_text_edits([insert], lines, Encoding.UTF16)
    assert edit.new_text == "from websockets.protocol import State\r\n"
    assert edit.range == types.Range(types.Position(1, 0), types.Position(1, 0))
