"""``segment_plan`` on the cases its scans handle apart: brackets and line ends in
comments and strings (prefixed ones too), continued lines, names spelled in another
Unicode form, name counts where the name is a part of a longer one."""

from __future__ import annotations

import re

import pytest

from lint_plugin import segment_plan
from lint_plugin.segment_plan import plan

MODULES = ("websockets",)


@pytest.mark.parametrize(
    "statements",
    [
        ["x = rb'''(\n'''\n", "y = 1\n"],
        ["s = '('  # )\n", "t = [\n1]\n"],
        ["# (\n", "x = 1\n"],
        ["w = 1 \\\n+ 2\n", "z = 3\n"],
        ["c = 'a\\\n(b'\n", "d = 1\n"],
        ["'''doc\n# (\n'''\n", "e = 2\n"],
        ["@d\ndef f():\n    pass\n", "if x:\n    pass\nelse:\n    pass\n"],
        ["u = f'{x}]'\n", 'v = Rb")"\n', "q = '''a''''\n"],
    ],
)
def test_statements(statements: list[str]) -> None:
    source = "".join(statements)
    chunks = segment_plan.statements(source)
    assert [source[c.start : c.end] for c in chunks] == statements


def test_a_name_in_another_unicode_form_links_statements() -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) for c in "helper")  # NFKC: helper
    source = (
        "import websockets\n"
        "def helper():\n    return websockets\n"
        f"def user():\n    return {wide}()\n"
        "def other():\n    return 2\n"
    )
    segments = plan(source, MODULES, budget=1).segments
    assert segments == [[0, 1, 2], [0, 3]]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("CLIENTS CLIENTS.add(x) xCLIENTS CLIENTSx CLIENTS", 0, 48),
        ("CLIENTSCLIENTS CLIENTS.discard(", 7, 31),
        ("(CLIENTS.add(CLIENTS))", 1, 21),
        ("aCLIENTS", 1, 8),
    ],
)
def test_count_is_findall(text: str, start: int, end: int) -> None:
    for pattern in (r"\bCLIENTS\b", rf"\bCLIENTS{segment_plan._WRITES}"):
        compiled = re.compile(pattern)
        found = len(compiled.findall(text, start, end))
        assert segment_plan._count(compiled, "CLIENTS", text, start, end) == found


def test_a_small_remnant_joins_the_last_segment() -> None:
    """Segments of four functions, nine functions: the ninth joins the second segment
    instead of standing alone (where it would use none of the prelude's names)."""
    functions = [f"def f{i}():\n    return websockets.{i}\n" for i in range(9)]
    source = "import websockets\n" + "".join(functions)
    budget = sum(len(f) for f in functions[:4])
    found = plan(source, ("websockets",), budget=budget)
    assert [len(segment) - len(found.prelude) for segment in found.segments] == [4, 5]
    # Half a budget or more stands alone.
    found = plan(source + "".join(functions[:2]), ("websockets",), budget=budget)
    assert [len(segment) - len(found.prelude) for segment in found.segments] == [4, 4, 3]
