"""WSU505 unused-noqa: which codes count as unused, and what its fix leaves."""

from __future__ import annotations

from lint_plugin.engine import check_source
from lint_plugin.fixes import fix_source
from lint_plugin.settings import Settings

SOURCE = """\
from websockets.asyncio.client import connect

a = connect("ws://x")  # noqa: WSU201
b = connect("ws://x", timeout=5)  # noqa: WSU406, WSU201, E501
c = connect("ws://x")  # noqa: WSU4  # why
d = connect("ws://x")  # type: ignore  # noqa: WSU999,WSU505
e = connect("ws://x", timeout=5)  # noqa: WSU406
f = connect("ws://x")  # noqa
g = connect("ws://x")  # noqa: E501
"""
FIXED = """\
from websockets.asyncio.client import connect

a = connect("ws://x")
b = connect("ws://x", timeout=5)  # noqa: WSU406, E501
c = connect("ws://x")  # why
d = connect("ws://x")  # type: ignore  # noqa: WSU999,WSU505
e = connect("ws://x", timeout=5)  # noqa: WSU406
f = connect("ws://x")  # noqa
g = connect("ws://x")  # noqa: E501
"""
OPT_IN = Settings(extend_select=("WSU505",))


def found(source: str, settings: Settings) -> list[tuple[int, int, str]]:
    return [
        (d.start.line, d.start.column, d.message)
        for d in check_source(source, settings=settings).diagnostics
        if d.code == "WSU505"
    ]


def test_off_by_default() -> None:
    assert found(SOURCE, Settings()) == []
    assert found(SOURCE, Settings(select=("WSU",))) == []


def test_codes_that_suppress_nothing_are_reported() -> None:
    assert found(SOURCE, OPT_IN) == [
        (3, 23, "Unused `noqa` directive (unused: `WSU201`)"),
        (4, 34, "Unused `noqa` directive (unused: `WSU201`)"),
        (5, 23, "Unused `noqa` directive (unused: `WSU4`)"),
    ]


def test_codes_of_rules_not_enabled_are_reported_as_such() -> None:
    only = Settings(select=("WSU505",))
    assert found(SOURCE, only)[:2] == [
        (3, 23, "Unused `noqa` directive (non-enabled: `WSU201`)"),
        (4, 34, "Unused `noqa` directive (non-enabled: `WSU406`, `WSU201`)"),
    ]


def test_the_fix_removes_the_unused_codes_and_keeps_the_rest() -> None:
    result = fix_source(SOURCE, OPT_IN, unsafe=False)
    assert result.source == FIXED
    assert result.applied == {"WSU505": 3}
    assert found(result.source, OPT_IN) == []
    # The kept directives still do their work.
    assert [d.code for d in result.remaining] == []


def test_crlf_lines() -> None:
    source = SOURCE.replace("\n", "\r\n")
    assert fix_source(source, OPT_IN, unsafe=False).source == FIXED.replace("\n", "\r\n")


def test_a_directive_where_the_string_ends_covers_the_lines_inside() -> None:
    source = (
        "from websockets.asyncio.client import connect\n"
        "\n"
        'a = connect("ws://x", timeout=5, x=f("""\n'
        '{1}"""))  # noqa: WSU406\n'
        'b = connect("ws://x", x=f("""\n'
        '{1}"""))  # noqa: WSU406\n'
    )
    # Line 3's finding is suppressed by line 4's directive, which is therefore used.
    assert found(source, OPT_IN) == [(6, 10, "Unused `noqa` directive (unused: `WSU406`)")]
    assert [d.code for d in check_source(source, settings=OPT_IN).diagnostics] == ["WSU505"]
