"""The edit behind "Disable WSUxxx for this line"."""

from __future__ import annotations

import pytest

from lint_plugin.fixes import apply_edits
from lint_plugin.lsp.suppression import noqa_edit


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("x = ws.open\n", "x = ws.open  # noqa: WSU201\n"),
        ("x = ws.open   \n", "x = ws.open  # noqa: WSU201\n"),
        ("x = ws.open  # why\n", "x = ws.open  # why  # noqa: WSU201\n"),
        ("x = ws.open  # noqa: WSU101\n", "x = ws.open  # noqa: WSU101, WSU201\n"),
        ("x = ws.open  # NOQA:WSU101,E501\n", "x = ws.open  # NOQA:WSU101,E501, WSU201\n"),
        ("x = ws.open", "x = ws.open  # noqa: WSU201"),
        ("x = (ws.open,\n     1)\n", "x = (ws.open,  # noqa: WSU201\n     1)\n"),
        ("x = 'é😀' + ws.open\r\n", "x = 'é😀' + ws.open  # noqa: WSU201\r\n"),
    ],
)
def test_adds_or_extends_noqa(line: str, expected: str) -> None:
    edit = noqa_edit(line, 1, "WSU201")
    assert edit is not None
    assert apply_edits(line, [edit]) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("x = ws.open  # noqa\n", id="already silenced"),
        pytest.param("x = ws.open  # noqa: WSU2\n", id="already silenced by a prefix"),
        pytest.param("x = ws.open  # noqa:WSU1O1\n", id="malformed directive"),
        pytest.param("x = ws.open(\n", id="does not tokenize"),
    ],
)
def test_no_edit_where_a_comment_cannot_go_or_is_not_needed(text: str) -> None:
    assert noqa_edit(text, 1, "WSU201") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "x = ws.open + \\\n    1\n",
            "x = ws.open + \\\n    1  # noqa: WSU201\n",
            id="backslash continuation",
        ),
        pytest.param(
            'x = f(ws.open, """a\nb""")\n',
            'x = f(ws.open, """a\nb""")  # noqa: WSU201\n',
            id="inside a multi-line string",
        ),
        pytest.param(
            'x = f(ws.open, """a\nb""")  # noqa: E501\n',
            'x = f(ws.open, """a\nb""")  # noqa: E501, WSU201\n',
            id="extending the directive where the string ends",
        ),
    ],
)
def test_where_no_comment_can_go_it_goes_where_the_statement_ends(text: str, expected: str) -> None:
    edit = noqa_edit(text, 1, "WSU201")
    assert edit is not None
    assert apply_edits(text, [edit]) == expected


def test_line_out_of_range() -> None:
    assert noqa_edit("x = 1\n", 5, "WSU201") is None
