"""``parse_groups`` on a long text compiles or parses groups of top-level statements:
``compiles`` must answer as one compile of the whole text does, on valid and broken texts
alike; ``first_syntax_error`` must find no error in a text that parses, and the error
``ast.parse`` raises on one that does not (or leave it to the whole parse).

The threshold is 0 and the groups ~2,000 characters, so that small files are grouped.
"""

from __future__ import annotations

import ast
import functools
import random
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from benchmarks.large_files import generate
from lint_plugin import parse_groups, segments

ROOT = Path(__file__).resolve().parents[2]
DOWNLOADS = ROOT / "benchmarks" / "corpus" / "downloads"
# The repository's own files: the same on every machine (not the corpus downloads).
FILES = sorted(
    path
    for directory in ("tests", "examples", "benchmarks")
    for path in (ROOT / directory).rglob("*.py")
    if DOWNLOADS not in path.parents
)
GROUP = 2_000

# Broken variants have invalid escapes.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::SyntaxWarning")
_FUTURE = re.compile(r"^from __future__ import [^\n]*\n", re.MULTILINE)


@pytest.fixture(autouse=True)
def grouped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segments, "THRESHOLD", 0)
    monkeypatch.setattr(parse_groups, "PARSE_GROUP", GROUP)


def whole(text: str) -> bool:
    try:
        compile(text, "<test>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def whole_error(text: str) -> tuple[str, int | None, int | None] | None:
    try:
        ast.parse(text, "<test>")
    except SyntaxError as exc:
        return exc.msg, exc.lineno, exc.offset
    except (ValueError, RecursionError, MemoryError):
        pass
    return None


def grouped_error(text: str) -> tuple[str, int | None, int | None] | None:
    found = parse_groups.first_syntax_error(text, "<test>")
    return None if found is None else (found.msg, found.lineno, found.offset)


FOUND = [0, 0]
"""Grouped texts ``ast.parse`` fails on, and how many of those errors
``first_syntax_error`` found (not left to the whole parse)."""


def check(texts: Iterator[str]) -> tuple[int, int]:
    """Fails on a text the two answer differently; (texts grouped, grouped ones that
    compile)."""
    grouped = compiling = 0
    for text in texts:
        expected = whole(text)
        assert parse_groups.compiles(text, "<test>") == expected, text
        if parse_groups._groups(text) is not None:
            grouped += 1
            compiling += expected
        found = grouped_error(text)
        if found is not None:
            FOUND[1] += 1
            assert found == whole_error(text), text
        elif len(text) > parse_groups.PARSE_GROUP and parse_groups._grouped(text) is not None:
            FOUND[0] += whole_error(text) is not None
    return grouped, compiling


@functools.cache
def sources() -> list[str]:
    return [path.read_text(encoding="utf-8", errors="replace") for path in FILES]


def test_files_as_they_are() -> None:
    grouped, compiling = check(iter(sources()))
    assert grouped > len(FILES) // 2 and compiling > 100, (grouped, compiling)


def concatenations(chooser: random.Random, count: int) -> Iterator[str]:
    """Files one after the other; the first keeps its future imports."""
    texts = sources()
    for _ in range(count):
        first, *rest = chooser.sample(texts, chooser.randint(2, 6))
        yield "\n".join([first, *(_FUTURE.sub("", text) for text in rest)])


def test_concatenations() -> None:
    grouped, compiling = check(concatenations(random.Random(3), 60))
    assert compiling > 20, (grouped, compiling)


def test_concatenations_with_future_imports_moved_down() -> None:
    chooser = random.Random(4)
    texts = [text for text in sources() if "from __future__" in text]
    picked = (chooser.sample(texts, 2) for _ in range(20))
    check("\n".join(pair) for pair in picked)


def test_generated_module() -> None:
    assert check(iter([generate(200_000)])) == (1, 1)


def _insert(text: str, chooser: random.Random) -> str:
    at = chooser.randrange(len(text) + 1)
    return text[:at] + chooser.choice("()[]{}'\"#\\:;,.=\n \t@\r\fx0") + text[at:]


def _delete(text: str, chooser: random.Random) -> str:
    at = chooser.randrange(len(text))
    return text[:at] + text[at + 1 :]


def _replace(text: str, chooser: random.Random) -> str:
    return _insert(_delete(text, chooser), chooser)


def _crlf(text: str, chooser: random.Random) -> str:
    """A replaced character in the text with CRLF line ends."""
    return _replace(text.replace("\n", "\r\n"), chooser)


def _lines(change: Callable[[list[str], int], None]) -> Callable[[str, random.Random], str]:
    def mutate(text: str, chooser: random.Random) -> str:
        lines = text.splitlines(keepends=True)
        change(lines, chooser.randrange(len(lines)))
        return "".join(lines)

    return mutate


def _delete_line(lines: list[str], at: int) -> None:
    del lines[at]


def _duplicate_line(lines: list[str], at: int) -> None:
    lines.insert(at, lines[at])


def _dedent_line(lines: list[str], at: int) -> None:
    lines[at] = lines[at].lstrip(" \t")


def _snippet(*snippets: str) -> Callable[[str, random.Random], str]:
    """Inserts one of ``snippets`` at the start of a random line."""

    def mutate(text: str, chooser: random.Random) -> str:
        lines = text.splitlines(keepends=True)
        at = chooser.randrange(len(lines) + 1)
        return "".join([*lines[:at], chooser.choice(snippets), *lines[at:]])

    return mutate


MUTATIONS = {
    "insert": _insert,
    "delete": _delete,
    "replace": _replace,
    "crlf": _crlf,
    "delete-line": _lines(_delete_line),
    "duplicate-line": _lines(_duplicate_line),
    "dedent-line": _lines(_dedent_line),
    "unterminated": _snippet("s = '''\n", 'x = "abc\n', "y = (1,\n", "z = [\n", "f(\n", "}\n"),
    "stray": _snippet(
        "else:\n    pass\n", "elif x:\n", "except:\n", "  x = 1\n", "    pass\n", "\\\n"
    ),
    "global": _snippet(
        "global CLIENTS\n",
        "x = 1\nglobal x\n",
        "if True:\n    global y\n",
        "nonlocal z\n",
        "def f():\n    global g\n",
        "class C:\n    global h\n",
        "# a comment ending in a backslash \\\nglobal CLIENTS\n",
    ),
    "future": _snippet(
        "from __future__ import annotations\n",
        "from __future__ import barry_as_FLUFL\n",
        "'''doc'''\nfrom __future__ import generator_stop\n",
        # Identifiers are read NFKC-normalised: a future import too.
        "from __\uff46uture__ import annotations\n",
    ),
    "keyword": _snippet("f(a=1, a=2)\n", "print(x, end='', end='')\n", "def f(a, a): pass\n"),
    "outside": _snippet(
        "return 1\n",
        "await f()\n",
        "yield 2\n",
        "break\n",
        "async def f():\n    yield 1\n    return 2\n",
        "x = [(yield) for y in z]\n",
    ),
}


@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_broken_variants(mutation: str) -> None:
    chooser = random.Random(mutation)
    texts = [text for text in sources() if 200 < len(text) < 60_000]
    mutate = MUTATIONS[mutation]
    variants = (mutate(chooser.choice(texts), chooser) for _ in range(150))
    FOUND[:] = [0, 0]
    grouped, _ = check(variants)
    if mutation not in ("global", "future"):
        # Every grouped variant that does not parse has its error found in groups.
        # (How many variants break and are grouped depends on the files drawn: the suite's
        # own, which grow; the bounds say that enough of them were.)
        assert FOUND[0] == 0 and FOUND[1] >= 5, FOUND
    # A future import moved down is compiled whole; on Python 3.12+ so is every module
    # mentioning ``global`` or ``nonlocal`` (f-strings may nest their quotes there).
    if mutation == "global" and sys.version_info >= (3, 12):
        assert grouped == 0, grouped
    else:
        assert grouped > (5 if mutation == "future" else 20), grouped


@pytest.mark.parametrize(
    "text",
    [
        "x = 1\nglobal x\n",
        "x: int\nglobal x\n",
        "if x:\n    global y\ny = 1\nglobal y\n",
        "def f():\n    pass\n# ends in a backslash \\\nglobal f\n",
        "x = 1\nfrom __future__ import annotations\n",
        '"""doc"""\nx = 1\nfrom __future__ import annotations\n',
        "x = 1\nfrom __\uff46uture__ import annotations\n",
        "import os\nfrom __future__ import annotations\n",
        # A backslash at column 0 continues to the next line, indented.
        "x = 1\n\\\n    y = 2\n",
    ],
)
def test_statements_in_groups_of_one(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Errors between statements each grouped alone (the last one is an error from
    Python 3.10 on)."""
    monkeypatch.setattr(parse_groups, "PARSE_GROUP", 1)
    assert not whole(text) or (text.startswith("x = 1\n\\") and sys.version_info < (3, 10))
    assert parse_groups.compiles(text, "<test>") is whole(text)


@pytest.mark.parametrize(
    "text",
    [
        "class A:\n    x = 1\n\\\n    y = 2\n",
        "def f():\n    global x\n    x = 1\nx = 2\n",
        "x = 1\n# ends in a backslash \\\ny = 2\n",
        "x = ('a\\\r\nb' + f(x, 'c')\r\n, 1)\r\n",
    ],
)
def test_valid_statements_in_groups_of_one(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(parse_groups, "PARSE_GROUP", 1)
    assert whole(text)
    assert parse_groups.compiles(text, "<test>")


def test_future_imports_before_every_group(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_groups, "PARSE_GROUP", 60)
    lead = '"""doc"""\nfrom __future__ import annotations\n'
    body = "def f():\n    return 1\n" * 8
    groups = list(parse_groups._groups(lead + body) or [])
    assert len(groups) > 2 and all(group.startswith(lead) for group in groups)
    assert parse_groups.compiles(lead + body, "<test>")


@pytest.mark.skipif(
    sys.version_info < (3, 10), reason="a yield in a postponed annotation compiles on 3.9"
)
def test_an_error_only_under_the_future_import(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_groups, "PARSE_GROUP", 60)
    lead = '"""doc"""\nfrom __future__ import annotations\n'
    body = "def f():\n    return 1\n" * 8
    # In the last group.
    text = lead + body + "def g():\n    x: (yield) = 1\n"
    assert not whole(text) and whole(text.replace(lead, ""))
    assert not parse_groups.compiles(text, "<test>")
