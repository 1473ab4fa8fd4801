"""``Context.position`` and ``Context.diagnostic``: what they build without the frozen
dataclasses' ``__init__`` is a ``Position`` / ``Diagnostic`` in every way."""

from __future__ import annotations

import ast
import dataclasses
import pickle

from lint_plugin.context import Context
from lint_plugin.model import Diagnostic, Position
from lint_plugin.settings import Settings


def context(source: str) -> Context:
    return Context(ast.parse(source), source, Settings())


def test_an_ascii_position_is_a_position_in_every_way() -> None:
    built = context("import websockets\n").position(3, 4)
    assert type(built) is Position
    assert built == Position(3, 4) and hash(built) == hash(Position(3, 4))
    assert Position(3, 3) < built < Position(3, 5) and built <= Position(4, 0)
    assert dataclasses.asdict(built) == {"line": 3, "column": 4}
    assert dataclasses.replace(built, column=0) == Position(3, 0)
    assert repr(built) == "Position(line=3, column=4)"


def test_a_finding_and_its_fix_share_one_object_per_position() -> None:
    # A dense module's findings hold a few hundred thousand positions: one copy of each.
    from lint_plugin.engine import check_source

    source = (
        "import websockets\n\nasync def h(ws, path):\n    print(ws.open)\n\n"
        'websockets.serve(h, "", 8765)\n'
    )
    found = check_source(source).diagnostics
    opened = next(d for d in found if d.code == "WSU201")
    ctx = context(source)
    assert ctx.position(4, 10) is ctx.position(4, 10)
    assert opened.fix is not None and opened.fix.edits
    assert opened.fix.edits[0].start is opened.start
    assert opened.fix.edits[0].end is opened.end


def test_findings_alike_share_their_texts() -> None:
    from lint_plugin.engine import check_source

    source = (
        "import websockets\n\nasync def h(ws, path):\n    print(ws.open)\n    print(ws.open)\n\n"
        'websockets.serve(h, "", 8765)\n'
    )
    first, second = [d for d in check_source(source).diagnostics if d.code == "WSU201"]
    assert first.message is second.message
    assert first.fix is not None and second.fix is not None
    assert first.fix.edits[0].content == "ws.state is State.OPEN"
    assert first.fix.edits[0].content is second.fix.edits[0].content


def test_a_column_after_non_ascii_text_counts_code_points() -> None:
    ctx = context('x = "é"; import websockets\n')
    assert ctx.position(1, 10) == Position(1, 9)


def test_a_diagnostic_has_every_field_its_class_declares() -> None:
    from lint_plugin.rules.wsu201_connection_open import SPEC

    source = "import websockets\nwebsockets.open\n"
    ctx = context(source)
    node = ctx.tree.body[1].value  # type: ignore[attr-defined]
    built = ctx.diagnostic(SPEC, node, "message")
    # Every field is set (an unset slot raises when read).
    assert {f.name: getattr(built, f.name) for f in dataclasses.fields(Diagnostic)}
    assert built == Diagnostic(
        SPEC.code, SPEC.name, "message", Position(2, 0), Position(2, 15), SPEC.fix_title
    )
    assert built.parent == Position(2, 0) and built.sort_key == (2, 0, "WSU201")
    assert dataclasses.replace(built, message="other").message == "other"
    assert built.replaced(message="other") == dataclasses.replace(built, message="other")
    assert pickle.loads(pickle.dumps(built)) == built
    assert pickle.loads(pickle.dumps(built)).parent == built.parent
    # ``parent`` is not compared.
    assert dataclasses.replace(built, parent=Position(1, 0)) == built
    assert hash(dataclasses.replace(built, parent=Position(1, 0))) == hash(built)
