"""The language server's segment cache gives, after any edits, what a fresh check gives.

Each test edits a module at random, step by step (characters and lines inserted and
deleted, inside and across statements, the imports of the prelude edited, a statement
broken so that its segment does not parse, then mended), and compares at every step the
check through one ``SegmentCache`` with ``check_source`` on the same text (a whole check:
these modules are below the command line's threshold): every diagnostic, its fix edits,
applicability and unit, the noqa handling, the mixed-use counts, a syntax error.
"""

from __future__ import annotations

import ast
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.large_files import generate
from lint_plugin import segment_cache
from lint_plugin.engine import check_source
from lint_plugin.segment_cache import SegmentCache, SegmentCaches
from lint_plugin.settings import Settings
from tests.lint.test_segments import SETTINGS, comparable

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = [
    "examples/legacy_app/bulletin/auth.py",
    "tests/lint/fixtures/edge_cases.py",
    "tests/lint/fixtures/wsu1_imports.py",
    "tests/lint/fixtures/wsu1_aliases_negative.py",
]
SNIPPETS = [
    "x = 1\n",
    "import websockets.legacy.client\n",
    "async def extra(ws):\n    await ws.send(ws.path)\n",
    "    print(websocket.open)\n",
    "# a comment\n",
    "\n",
]
CHARACTERS = ["a", " ", "\n", "(", ")", ":", "#", "'", ".", "1"]


def parses(text: str) -> bool:
    try:
        ast.parse(text)
    except SyntaxError:
        return False
    return True


def edited(text: str, chooser: random.Random) -> str:
    """``text`` after one random edit."""
    lines = text.splitlines(keepends=True)
    kind = chooser.randrange(7)
    at = chooser.randrange(len(text) + 1)
    line = chooser.randrange(len(lines) + 1)
    if kind == 0:  # a character typed
        return text[:at] + chooser.choice(CHARACTERS) + text[at:]
    if kind == 1:  # a few characters deleted, maybe across lines
        return text[:at] + text[at + chooser.randint(1, 40) :]
    if kind == 2:  # a line copied elsewhere
        return "".join([*lines[:line], chooser.choice(lines), *lines[line:]])
    if kind == 3:  # lines deleted
        return "".join([*lines[:line], *lines[line + chooser.randint(1, 3) :]])
    if kind == 4:  # a snippet inserted at a line start
        return "".join([*lines[:line], chooser.choice(SNIPPETS), *lines[line:]])
    imports = [i for i, t in enumerate(lines) if t.startswith(("import ", "from "))]
    if kind == 5 and imports:  # an import of the prelude removed or doubled
        i = chooser.choice(imports)
        return "".join([*lines[:i], *([lines[i]] * chooser.randrange(3)), *lines[i + 1 :]])
    # The statement's text moved within its line: the columns after it change.
    return text[:at] + " " * chooser.randint(1, 4) + text[at:]


def walk(text: str, steps: int, seed: int) -> Iterator[str]:
    """Texts after random edits. Most parse; one that does not is mended at the next
    step (the edit undone), as when a statement is being typed."""
    chooser = random.Random(seed)
    for _ in range(steps):
        after = edited(text, chooser)
        if parses(after) or chooser.random() < 0.3:
            yield after
            if not parses(after):
                yield text  # mended
                continue
            text = after


def assert_same(cache: SegmentCache, text: str, settings: Settings) -> None:
    cached = check_source(text, filename="module.py", settings=settings, segmented=cache.analyse)
    fresh = check_source(text, filename="module.py", settings=settings)
    assert comparable(cached) == comparable(fresh)


@pytest.fixture
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every module in segments, as many as it can be split in."""
    monkeypatch.setattr(segment_cache, "THRESHOLD", 0)
    monkeypatch.setattr(segment_cache, "BUDGET", 1)


@pytest.mark.parametrize("name", FIXTURES)
@pytest.mark.parametrize("settings", SETTINGS, ids=["default", "all-13.0"])
@pytest.mark.usefixtures("small_segments")
def test_random_edits_of_a_fixture(name: str, settings: Settings) -> None:
    source = (ROOT / name).read_text(encoding="utf-8")
    cache = SegmentCache()
    assert_same(cache, source, settings)
    reused = 0
    for text in walk(source, 50, seed=len(name)):
        assert_same(cache, text, settings)
        reused += len(cache.records) > cache.checked
    assert reused > 15, reused


def test_random_edits_of_the_generated_module() -> None:
    """At the server's own threshold and budget."""
    source = generate(segment_cache.THRESHOLD * 2)
    settings = Settings(select=("WSU",), target_version=(13, 0))
    cache = SegmentCache()
    assert_same(cache, source, settings)
    total = cache.checked
    reused = 0
    for text in walk(source, 25, seed=16):
        assert_same(cache, text, settings)
        reused += 0 < cache.checked < total
    assert reused > 5, reused


def test_an_edit_rechecks_its_segment_only() -> None:
    source = generate(segment_cache.THRESHOLD * 4)
    cache = SegmentCache()
    assert_same(cache, source, Settings())
    assert cache.checked == len(cache.records) > 10
    # A character typed on the last line: one segment is checked again.
    assert_same(cache, source + "#", Settings())
    assert cache.checked == 1
    # Lines added in the middle: that segment; those after take their records, moved.
    middle = source.index("\nasync def client_", len(source) // 2)
    source = source[:middle] + "\n\n# two lines\n" + source[middle:] + "#"
    assert_same(cache, source, Settings())
    assert cache.checked == 1
    # The same text with other settings: every segment.
    other = Settings(target_version=(13, 0))
    assert_same(cache, source, other)
    assert cache.checked == len(cache.records)


def test_a_segment_that_does_not_parse_keeps_the_others() -> None:
    source = generate(segment_cache.THRESHOLD * 3)
    cache = SegmentCache()
    assert_same(cache, source, Settings())
    broken = source.replace("async def client_1(", "async def client_1((", 1)
    assert_same(cache, broken, Settings())
    assert check_source(broken).syntax_error is not None
    assert_same(cache, source, Settings())
    assert cache.checked == 0


UNIT_SOURCES = sorted(
    path
    for pattern in ("tests/migration/programs/*.py", "tests/lint/fix_cases/*.py")
    for path in ROOT.glob(pattern)
    if not path.name.endswith((".migrated.py", ".fixed.py"))
)


@pytest.mark.parametrize("path", UNIT_SOURCES, ids=lambda p: f"{p.parent.name}/{p.stem}")
@pytest.mark.usefixtures("small_segments")
def test_lines_added_before_each_statement_move_the_records_after_it(path: Path) -> None:
    """Migration units span segments in these modules (a ``serve()`` and its callbacks,
    subclasses, handlers): a line added before one statement moves the records of every
    segment after it, unit keys included, and the result is still a fresh check's."""
    source = path.read_text(encoding="utf-8")
    settings = Settings(select=("WSU",), target_version=(17, 4))
    cache = SegmentCache()
    assert_same(cache, source, settings)
    starts = [node.lineno for node in ast.parse(source).body]
    for line in starts[len(starts) // 3 :: 2]:
        lines = source.splitlines(keepends=True)
        source = "".join([*lines[: line - 1], "\n", *lines[line - 1 :]])
        assert_same(cache, source, settings)


@pytest.mark.usefixtures("small_segments")
def test_a_def_before_later_imports_added_and_removed() -> None:
    """Where the leading imports stop (``Plan.leading_stop``) moves every segment's
    import insertion line: a def put before later imports, changed, moved or removed."""
    source = (ROOT / "tests/lint/fixtures/forms_narrowing.py").read_text(encoding="utf-8")
    helper = "def helper():\n    return 1\n\n\n"
    at = source.index("from websockets.legacy.client")
    settings = Settings(select=("WSU",), target_version=(13, 0))
    cache = SegmentCache()
    texts = [
        source,
        source[:at] + helper + source[at:],
        source[:at] + helper.replace("1", "2") + source[at:],
        source[:at] + "\n" + helper + source[at:],
        source,
    ]
    for text in texts:
        inserted = {
            edit.start.line
            for d in check_source(text, filename="module.py", settings=settings).diagnostics
            if d.fix is not None
            for edit in d.fix.edits
            if edit.start == edit.end and "import" in edit.content
        }
        assert inserted  # fixes that insert imports, where the leading imports stop
        assert_same(cache, text, settings)


def test_a_buffer_checked_below_the_upgrade_keeps_both_checks_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Below 13.0 every lint checks the buffer at the upgraded target too
    (``upgrade.held_once_upgraded``): each settings' records are reused by the next edit,
    and the result is a fresh check's."""
    source = generate(segment_cache.THRESHOLD * 4)
    settings = Settings(target_version=(12, 0))
    caches = SegmentCaches()
    analysed: list[SegmentCache] = []
    analyse = SegmentCache.analyse

    def counted(self: SegmentCache, *args: object) -> object:
        analysed.append(self)
        return analyse(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(SegmentCache, "analyse", counted)
    check_source(source, filename="module.py", settings=settings, segmented=caches.analyse)
    assert len({id(cache) for cache in analysed}) == 2  # the target's and the upgraded one's
    edited = source.replace("bye 7", "bye seven", 1)
    assert edited != source
    analysed.clear()
    again = check_source(edited, filename="module.py", settings=settings, segmented=caches.analyse)
    assert all(cache.checked <= 3 for cache in analysed), [c.checked for c in analysed]
    assert comparable(again) == comparable(
        check_source(edited, filename="module.py", settings=settings)
    )
