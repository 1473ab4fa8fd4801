"""Incremental text sync: ranges in UTF-16 (or UTF-8) units, LSP's line breaks."""

from __future__ import annotations

import json
import re
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.protocol import default_converter

from lint_plugin.engine import check_source
from lint_plugin.lsp import convert, sync
from lint_plugin.lsp.convert import Encoding, TextLines, WireDiagnostics, to_lsp_diagnostic
from lint_plugin.lsp.sync import apply_change
from tests.lsp.helpers import LEGACY


def _change(
    start: tuple[int, int], end: tuple[int, int], text: str
) -> types.TextDocumentContentChangePartial:
    return types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(*start), types.Position(*end)), text=text
    )


def test_columns_after_multibyte_characters() -> None:
    text = 'x = "é😀"; y = 1\n'
    # `y` is code point 10, UTF-16 unit 11 (the emoji is two), UTF-8 byte 14.
    assert apply_change(text, _change((0, 11), (0, 12), "z"), Encoding.UTF16) == (
        'x = "é😀"; z = 1\n'
    )
    assert apply_change(text, _change((0, 14), (0, 15), "z"), Encoding.UTF8) == (
        'x = "é😀"; z = 1\n'
    )


def test_a_range_spanning_lines_with_crlf() -> None:
    text = "a = 1\r\nb = 2\r\nc = 3\r\n"
    changed = apply_change(text, _change((0, 4), (2, 4), "9\r\nd = "), Encoding.UTF16)
    assert changed == "a = 9\r\nd = 3\r\n"
    # A lone \r breaks a line too; \x0c and \u2028 do not (pygls's splitlines says they do).
    text = "s = '\u2028'\x0c\rt = 1\n"
    assert apply_change(text, _change((1, 0), (1, 1), "u"), Encoding.UTF16) == (
        "s = '\u2028'\x0c\ru = 1\n"
    )


def test_positions_past_the_end_and_whole_text() -> None:
    text = "a\nb"
    assert apply_change(text, _change((0, 99), (0, 99), "!"), Encoding.UTF16) == "a!\nb"
    assert apply_change(text, _change((5, 0), (5, 0), "\n#"), Encoding.UTF16) == "a\nb\n#"
    whole = types.TextDocumentContentChangeWholeDocument(text="new")
    assert apply_change(text, whole, Encoding.UTF16) == "new"


@pytest.mark.parametrize("held", [10_000, 0], ids=["held", "made-as-sent"])
def test_wire_diagnostics_are_what_cattrs_would_send(
    held: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(convert, "HELD_PARTS", held)
    text = LEGACY.replace("print(ws.open)", 'print("é😀", ws.open)')
    diagnostics = check_source(text, filename="app.py").diagnostics
    lines = TextLines(text)
    typed = default_converter().unstructure(
        [to_lsp_diagnostic(d, lines, Encoding.UTF16) for d in diagnostics]
    )
    wire = WireDiagnostics()
    assert json.loads("".join(wire.encode(diagnostics, lines, Encoding.UTF16))) == typed
    # Again, from the tails kept; iterated twice (to count, then to send), the same.
    encoded = wire.encode(diagnostics, lines, Encoding.UTF16)
    assert json.loads("".join(encoded)) == typed
    assert "".join(encoded) == "".join(encoded)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab\r\n", max_size=40), st.integers(0, 12), st.integers(0, 3))
def test_an_edit_lands_on_its_line_whatever_the_pieces_scanned(
    text: str, line: int, character: int
) -> None:
    """The line of an edit is found by counting breaks a piece at a time (``SCAN_PIECE``),
    without splitting the buffer: the same offset as splitting it."""
    lines = re.split(r"\r\n|\r|\n", text)
    if line < len(lines):
        breaks = [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
        start = 0 if line == 0 else breaks[line - 1]
        expected = start + min(character, len(lines[line]))
    else:
        expected = len(text)
    at = types.Position(line, character)
    change = types.TextDocumentContentChangePartial(range=types.Range(at, at), text="X")
    for piece in (1, 2, 3, 64):
        with (
            mock.patch.object(convert, "SCAN_PIECE", piece),
            mock.patch.object(sync, "SCAN_PIECE", piece),
        ):
            changed = apply_change(text, change, Encoding.UTF16)
        assert changed == text[:expected] + "X" + text[expected:], piece
