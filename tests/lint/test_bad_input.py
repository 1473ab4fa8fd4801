"""The engine never crashes or hangs on a file, and never reports on one it cannot parse."""

from __future__ import annotations

import time

import pytest

from lint_plugin.engine import check_source


@pytest.mark.parametrize(
    "source",
    [
        "import websockets\ndef f(:\n",
        "import websockets\n\x00\n",
        "import websockets\nif True:\n  x = 1\n    y = 2\n",
        "import websockets\n'unterminated\n",
    ],
)
def test_unparsable_source_is_one_syntax_problem(source: str) -> None:
    result = check_source(source)
    assert result.diagnostics == []
    assert result.syntax_error is not None
    assert result.syntax_error.line >= 1


def test_deeply_nested_expression_does_not_crash() -> None:
    source = "import websockets\nx = " + "(" * 5000 + "1" + ")" * 5000 + "\n"
    result = check_source(source)
    assert result.diagnostics == []


def test_deeply_nested_blocks_are_analysed() -> None:
    body = "import websockets.legacy.client\n"
    indent = ""
    for i in range(80):
        body += f"{indent}if x{i}:\n"
        indent += " "
    body += f"{indent}websockets.legacy.client.connect('ws://x')\n"
    result = check_source(body)
    assert [d.code for d in result.diagnostics] == ["WSU101", "WSU101"]


def test_huge_file_is_linted_in_reasonable_time() -> None:
    chunk = (
        "async def handler_{i}(websocket, path):\n"
        "    if websocket.open:\n"
        "        await websocket.send(path)\n"
        "server_{i} = websockets.serve(handler_{i}, 'localhost', {i})\n"
    )
    source = "import websockets\n" + "".join(chunk.format(i=i) for i in range(400))
    started = time.perf_counter()
    result = check_source(source)
    elapsed = time.perf_counter() - started
    assert sum(d.code == "WSU301" for d in result.diagnostics) == 400
    assert sum(d.code == "WSU201" for d in result.diagnostics) == 400
    assert elapsed < 30  # generous: a hang or quadratic blow-up fails, not a slow machine


def test_non_ascii_columns_are_code_points() -> None:
    source = (
        "from websockets.asyncio.server import serve\n"
        "async def handler(ws):\n"
        "    é = 'ü'; print(é, ws.open)\n"
        "async def main():\n"
        "    await serve(handler)\n"
    )
    (diagnostic,) = check_source(source).diagnostics
    line = source.splitlines()[2]
    assert line[diagnostic.start.column :].startswith("ws.open")
    assert diagnostic.end.column - diagnostic.start.column == len("ws.open")


def test_file_not_mentioning_websockets_is_not_parsed() -> None:
    result = check_source("def f(:\n")
    assert result.skipped
    assert result.syntax_error is None


def fixed(source: str) -> str:
    from lint_plugin.fixes import apply_edits

    diagnostics = check_source(source).diagnostics
    edits = [e for d in diagnostics if d.fix for e in d.fix.edits]
    return apply_edits(source, edits)


@pytest.mark.parametrize(
    ("expression", "replacement"),
    [
        ("exc.code", "exc.rcvd.code if exc.rcvd else 1006"),
        ("exc.reason or '-'", "(exc.rcvd.reason if exc.rcvd else \"\") or '-'"),
        ("exc.code == 1000", "(exc.rcvd.code if exc.rcvd else 1006) == 1000"),
        ("not exc.code", "not (exc.rcvd.code if exc.rcvd else 1006)"),
        ("[exc.code]", "[(exc.rcvd.code if exc.rcvd else 1006)]"),
    ],
)
def test_fixes_keep_operator_precedence(expression: str, replacement: str) -> None:
    template = (
        "from websockets.exceptions import ConnectionClosed\n"
        "try:\n    pass\nexcept ConnectionClosed as exc:\n    x = {}\n"
    )
    assert fixed(template.format(expression)) == template.format(replacement)


def test_await_replacement_is_parenthesised_under_attribute_access() -> None:
    source = (
        "# wsu: extend-select=WSU5\n"
        "from websockets.asyncio.client import connect\n"
        "async def main():\n"
        "    async with connect('ws://x') as ws:\n"
        "        a = (await ws.recv()).encode()\n"
        "        b = (await ws.recv()).encode().hex()\n"
    )
    from lint_plugin.fixes import apply_edits
    from tests.lint.expectations import settings_for

    diagnostics = check_source(source, settings=settings_for(source)).diagnostics
    result = apply_edits(source, [e for d in diagnostics if d.fix for e in d.fix.edits])
    assert "a = await ws.recv(decode=False)\n" in result
    assert "b = (await ws.recv(decode=False)).hex()\n" in result
