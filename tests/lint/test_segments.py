"""A large module checked in segments gives what the whole module gives.

``lint_plugin.segments`` checks modules above ``THRESHOLD`` a few top-level statements at
a time. Here the threshold is 0 and the budget 1 (every component its own segment, the
most splitting there can be), and each file's result is compared with the whole-module
check: every diagnostic (code, position, message, fix edits and applicability, the
migration unit a fix belongs to), the noqa handling and the mixed-use counts.
"""

from __future__ import annotations

import ast
import random
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.large_files import generate
from lint_plugin import segments
from lint_plugin.context import Context
from lint_plugin.engine import CheckResult, check_source
from lint_plugin.model import Diagnostic
from lint_plugin.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(
    path
    for directory in ("tests", "examples")
    for path in (ROOT / directory).rglob("*.py")
    if "segments" not in path.name
)
SETTINGS = [
    Settings(),
    Settings(select=("WSU",), target_version=(13, 0)),
]


@pytest.fixture
def split_everything(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Segments for every module; records whether each check was segmented."""
    monkeypatch.setattr(segments, "THRESHOLD", 0)
    monkeypatch.setattr(segments, "BUDGET", 1)
    analyse = segments.analyse
    used: list[bool] = []

    def recording(*args: object, **kwargs: object) -> object:
        outcome = analyse(*args, **kwargs)  # type: ignore[arg-type]
        used.append(outcome is not None)
        return outcome

    monkeypatch.setattr(segments, "analyse", recording)
    yield used


def whole(source: str, settings: Settings) -> CheckResult:
    threshold = segments.THRESHOLD
    segments.THRESHOLD = len(source)
    try:
        return check_source(source, filename="module.py", settings=settings)
    finally:
        segments.THRESHOLD = threshold


def comparable(result: CheckResult) -> tuple[object, ...]:
    """The result with migration units named by first appearance (names are ids only),
    and what ``Diagnostic`` equality leaves out (the statement a noqa may sit on)."""
    names: dict[str, str] = {}

    def renamed(diagnostic: Diagnostic) -> Diagnostic:
        fix = diagnostic.fix
        if fix is None or fix.unit is None:
            return diagnostic
        unit = names.setdefault(fix.unit, f"unit-{len(names) + 1}")
        return replace(diagnostic, fix=replace(fix, unit=unit))

    diagnostics = [
        (renamed(d), d.parent, d.fix and (d.fix.edits, d.fix.applicability))
        for d in result.diagnostics
    ]
    return (diagnostics, result.syntax_error, result.noqa_warnings, result.mixed, result.skipped)


def same_as_whole(source: str, settings: Settings, used: list[bool]) -> bool:
    """Asserts the segmented result is the whole one; returns whether it was segmented."""
    used.clear()
    split = check_source(source, filename="module.py", settings=settings)
    assert comparable(split) == comparable(whole(source, settings))
    return any(used)


@pytest.mark.parametrize("settings", SETTINGS, ids=["default", "all-13.0"])
def test_every_test_and_example_file(split_everything: list[bool], settings: Settings) -> None:
    segmented = []
    for path in FILES:
        source = path.read_text(encoding="utf-8")
        try:
            if same_as_whole(source, settings, split_everything):
                segmented.append(path)
        except AssertionError:
            pytest.fail(f"{path.relative_to(ROOT)}: segmented result differs")
    # Most files with findings are split, not checked whole.
    assert len(segmented) > 200, len(segmented)


def test_imports_after_a_def(split_everything: list[bool]) -> None:
    """The leading imports stop at a def that one segment holds: every segment inserts
    the imports its fixes add where the whole module does, before the def."""
    source = generate(60_000).replace(
        "import websockets\n", "def helper():\n    return 1\n\n\nimport websockets\n", 1
    )
    layout = segments.plan(source, Settings().modules, budget=segments.BUDGET)
    assert layout.leading_stop is not None
    assert same_as_whole(source, Settings(), split_everything)
    answers: list[int] = []

    def inspect(ctx: Context | None) -> None:
        assert ctx is not None
        answers.append(ctx.import_insertion_line())

    check_source(source, filename="module.py", inspect=inspect)
    whole_ctx = Context(ast.parse(source), source, Settings())
    assert len(answers) > 2 and set(answers) == {whole_ctx.import_insertion_line()} == {4}


def test_generated_module(split_everything: list[bool]) -> None:
    segments.BUDGET = 50_000
    assert same_as_whole(generate(1_000_000), Settings(), split_everything)


def hoisted(source: str) -> tuple[list[str], list[str]]:
    """The lines of the module's top-level imports, and the other lines."""
    lines = source.splitlines(keepends=True)
    imports = set()
    for stmt in ast.parse(source).body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            imports.update(range(stmt.lineno - 1, stmt.end_lineno or stmt.lineno))
    return (
        [line for i, line in enumerate(lines) if i in imports],
        [line for i, line in enumerate(lines) if i not in imports],
    )


def concatenable() -> list[str]:
    """The suite's files that mention websockets and can be put one after the other."""
    return [
        text
        for path in FILES
        if "websockets" in (text := path.read_text(encoding="utf-8"))
        and "from __future__" not in text
    ]


def test_random_concatenations_under_a_star_import(split_everything: list[bool]) -> None:
    """A star import of another module is in every segment's prelude."""
    sources = concatenable()
    chooser = random.Random(15)
    segmented = 0
    for _ in range(30):
        picked = chooser.sample(sources, chooser.randint(1, 4))
        star = chooser.choice(["from os.path import *\n", "from typing import *\n"])
        source = star + "\n".join(picked)
        segmented += same_as_whole(source, Settings(), split_everything)
    assert segmented >= 5, segmented


_TOP_IMPORT = re.compile(r"^((?:import|from) [^\n(\\]*websockets[^\n(\\]*)$", re.MULTILINE)


def test_random_concatenations_importing_websockets_in_functions(
    split_everything: list[bool],
) -> None:
    """No top-level import of websockets: every segment imports from ``websockets``, the
    default, as the whole module does (another root anywhere is checked whole)."""
    sources = concatenable()
    chooser = random.Random(16)
    segmented = 0
    for n in range(30):
        picked = chooser.sample(sources, chooser.randint(1, 4))
        source = _TOP_IMPORT.sub(r"def _lazy():\n    \1\n", "\n".join(picked))
        if n % 5 == 0:
            source += "\n\ndef _other():\n    import websockets_impl\n"
        segmented += same_as_whole(source, Settings(), split_everything)
    assert segmented >= 5, segmented


@pytest.mark.parametrize("hoist", [False, True], ids=["as-is", "imports-first"])
def test_random_concatenations(split_everything: list[bool], hoist: bool) -> None:
    """Modules made of 2 to 5 files of the suite, one after the other (later imports
    after other statements); or with every file's imports moved to the top."""
    sources = concatenable()
    chooser = random.Random(14)
    segmented = 0
    for _ in range(40):
        picked = chooser.sample(sources, chooser.randint(2, 5))
        if hoist:
            parts = [hoisted(text) for text in picked]
            source = "".join(line for head, _ in parts for line in head) + "\n".join(
                "".join(body) for _, body in parts
            )
        else:
            source = "\n".join(picked)
        try:
            segmented += same_as_whole(source, Settings(), split_everything)
        except AssertionError:
            pytest.fail(f"segmented result differs on {[sources.index(s) for s in picked]}")
    assert segmented >= (10 if hoist else 8), segmented


@pytest.mark.parametrize(
    "source",
    [
        "from websockets import *\n\nasync def f(ws):\n    pass\n",
        "import websockets\ntry:\n    from websockets.legacy import (\n        *)\n"
        "except ImportError:\n    pass\n\nasync def f(ws):\n    pass\n",
        "import websockets\nfrom .handlers import *\n\nasync def f(ws):\n    pass\n",
        "import websockets\n\nasync def f(ws):\n    await ws.recv(\n",
        "import websockets\r\rasync def f(ws):\r    pass\r",
    ],
    ids=["star-import", "nested-star-import", "relative-star-import", "syntax-error", "cr"],
)
def test_undecidable_shapes_are_checked_whole(split_everything: list[bool], source: str) -> None:
    assert not same_as_whole(source * 2, Settings(), split_everything)


def test_star_imports_in_strings_and_comments_are_none(split_everything: list[bool]) -> None:
    """Only a statement importing ``*`` makes a module undecidable: not the text."""
    source = '"""Use it as ``from handlers import *``."""\nimport websockets\n' + "".join(
        f"\n\nasync def f{n}(ws, path):  # not: from websockets import *\n"
        f'    """>>> from websockets.legacy.server import *"""\n'
        f"    return ws.open\n"
        for n in range(3)
    )
    assert same_as_whole(source, Settings(), split_everything)


def test_segments_hold_each_component_once() -> None:
    source = generate(20_000)
    layout = segments.plan(source, Settings().modules, budget=segments.BUDGET)
    seen = [i for segment in layout.segments for i in segment if i not in layout.prelude]
    assert sorted(seen) == [i for i in range(len(layout.chunks)) if i not in layout.prelude]
    # Each handler is checked with the serve() passing it, and the classes that need it.
    texts = [
        "".join(source[layout.chunks[i].start : layout.chunks[i].end] for i in segment)
        for segment in layout.segments
    ]
    for text in texts:
        for n in range(3):
            if f"async def serve_{n}(" in text:
                assert f"async def handler_{n}(" in text
                assert f"class Protocol{n}(" in text


def test_wsu_check_reads_the_facts_of_every_segment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A module passing imported callbacks to ``serve()`` takes part in the project index
    with all of them, not those of the segment that found the first."""
    from lint_plugin.cli.project_index import facts_from_text
    from lint_plugin.cli.workers import Mode, Task, run_task

    monkeypatch.setattr(segments, "THRESHOLD", 0)
    monkeypatch.setattr(segments, "BUDGET", 1)
    source = (
        "import websockets\nfrom handlers import first, second\n\n\n"
        "async def a():\n    async with websockets.serve(first, 'localhost', 1):\n"
        "        pass\n\n\n"
        "async def b():\n    async with websockets.serve(second, 'localhost', 2):\n"
        "        pass\n"
    )
    assert len(segments.plan(source, Settings().modules, budget=segments.BUDGET).segments) == 2
    outcome = run_task(Task("app.py", source, Settings(), Mode.CHECK, False, module="app"))
    assert outcome.facts is not None
    assert outcome.facts == facts_from_text(source, Settings(), "app")
    assert {use.name for use in outcome.facts.uses} == {"first", "second"}


def test_an_import_whose_finding_depends_on_its_uses(
    split_everything: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its finding differs where its uses are not: the module is planned again with every
    use in one segment, and still checked in segments."""
    source = (ROOT / "examples/legacy_app/bulletin/auth.py").read_text(encoding="utf-8")
    plans: list[frozenset[str]] = []
    plan = segments.plan

    def recording(
        source: str, modules: tuple[str, ...], linked: frozenset[str], budget: int
    ) -> object:
        plans.append(linked)
        return plan(source, modules, linked, budget=budget)

    monkeypatch.setattr(segments, "plan", recording)
    assert same_as_whole(source, Settings(), split_everything)
    assert plans[:2] == [frozenset(), {"BasicAuthWebSocketServerProtocol"}]


def test_a_function_assigning_a_module_name(split_everything: list[bool]) -> None:
    """``global CONN`` binds ``CONN``: what reads it is checked with what assigns it."""
    source = (
        "import websockets\n\n\n"
        "async def open_connection():\n    global CONN\n"
        "    CONN = await websockets.connect('ws://localhost')\n\n\n"
        "async def status():\n    return CONN.open\n\n\n"
        "async def echo(ws):\n    await ws.send(ws.path)\n"
    )
    assert same_as_whole(source, Settings(), split_everything)
    layout = segments.plan(source, Settings().modules, budget=segments.BUDGET)
    texts = [
        "".join(source[layout.chunks[i].start : layout.chunks[i].end] for i in s)
        for s in layout.segments
    ]
    together = [t for t in texts if "def status" in t]
    assert len(texts) == 2 and "def open_connection" in together[0]


def test_a_name_bound_twice_is_checked_with_both_bindings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each binding mentions its name: it goes with every other (``is_rebound``)."""
    monkeypatch.setattr(segments, "BUDGET", 1)
    source = (
        "import websockets\n\n\n"
        "async def handler(websocket, path):\n    pass\n\n\n"
        "async def other(websocket):\n    pass\n\n\n"
        "async def handler(websocket):\n    pass\n"
    )
    layout = segments.plan(source, Settings().modules, budget=segments.BUDGET)
    texts = [
        "".join(source[layout.chunks[i].start : layout.chunks[i].end] for i in s)
        for s in layout.segments
    ]
    assert len(texts) == 2
    assert [t.count("def handler") for t in texts] in ([2, 0], [0, 2])


def test_wsu_check_fix_reads_a_large_module_in_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--fix`` on a large module passing callbacks to ``serve()``: its facts come from
    a check in segments (not one tree of the whole module) when it takes no part, and the
    whole module's facts when it does."""
    from lint_plugin.cli import project_index
    from lint_plugin.cli.workers import Mode, Task, run_task

    monkeypatch.setattr(segments, "THRESHOLD", 0)
    monkeypatch.setattr(segments, "BUDGET", 1)
    whole_reads = []
    facts_from_text = project_index.facts_from_text

    def counting(*args: object) -> object:
        whole_reads.append(args)
        return facts_from_text(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(project_index, "facts_from_text", counting)
    local = generate(8_000)
    outcome = run_task(Task("app.py", local, Settings(), Mode.FIX, True, module="app"))
    assert outcome.error is None and outcome.facts is None and outcome.fix is not None
    assert outcome.fix.source != local
    assert whole_reads == []
    imported = local.replace("import websockets\n", "import websockets\nfrom h import first\n")
    imported += (
        "\n\nasync def b():\n"
        "    async with websockets.serve(first, 'localhost', 2):\n"
        "        pass\n"
    )
    outcome = run_task(Task("app.py", imported, Settings(), Mode.FIX, True, module="app"))
    assert outcome.facts is not None
    assert outcome.facts == facts_from_text(imported, Settings(), "app")
