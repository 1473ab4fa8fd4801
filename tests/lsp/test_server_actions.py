"""Code actions (quick fixes, noqa, fix-all) and hovers, applied as an editor would."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.helpers import (
    LEGACY,
    MIXED,
    Client,
    apply_workspace_edit,
    by_code,
    change_document,
    codes,
    open_document,
    running_server,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

LEGACY_FIXED = """\
from websockets.asyncio.client import connect
from websockets.protocol import State

async def main():
    async with connect("ws://x", additional_headers={"A": "b"}) as ws:
        print(ws.state is State.OPEN)
"""


async def actions_for(
    client: Client,
    uri: str,
    where: types.Range,
    *,
    only: Sequence[str] | None = None,
) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=where,
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    actions = [action for action in result or () if isinstance(action, types.CodeAction)]
    assert len(actions) == len(result or ()), "commands instead of code actions"
    return actions


def titled(actions: list[types.CodeAction], title: str) -> types.CodeAction:
    found = [action for action in actions if action.title == title]
    assert found, f"no action {title!r} in {[a.title for a in actions]}"
    return found[0]


async def test_applying_a_quick_fix_makes_its_diagnostic_go(
    client: Client, workspace: Path
) -> None:
    uri = open_document(client, workspace / "quick_fix.py", LEGACY)
    diagnostic = by_code(await client.diagnostics_at(uri, 1), "WSU201")
    actions = await actions_for(client, uri, diagnostic.range)

    fix = titled(actions, "WSU201: Replace with `ws.state is State.OPEN` (unsafe)")
    assert fix.kind == types.CodeActionKind.QuickFix
    assert list(fix.diagnostics or ()) == [diagnostic]
    assert not fix.is_preferred, "unsafe fixes are offered but not preferred"
    assert fix.edit is not None
    fixed = apply_workspace_edit(LEGACY, uri, fix.edit, version=1)
    assert "print(ws.state is State.OPEN)" in fixed
    assert "from websockets.protocol import State\n" in fixed

    # The fix belongs to the migration unit of the connect() call: it moves the import and
    # fixes extra_headers too, so that the code never mixes the two implementations.
    assert "additional_headers=" in fixed
    change_document(client, uri, fixed, 2)
    assert codes(await client.diagnostics_at(uri, 2)) == []


async def test_a_cursor_gets_the_actions_of_what_it_touches(
    client: Client, workspace: Path
) -> None:
    uri = open_document(client, workspace / "cursor.py", MIXED)
    await client.diagnostics_at(uri, 1)
    # A cursor (empty range) inside `timeout=5` on line 4.
    cursor = types.Position(3, 35)
    actions = await actions_for(client, uri, types.Range(cursor, cursor), only=["quickfix"])

    assert [a.title for a in actions] == [
        "WSU406: Rename to `close_timeout=`",
        "Disable WSU406 for this line",
    ]
    assert actions[0].is_preferred, "a safe fix is the preferred one"


async def test_display_only_fixes_are_not_offered_as_edits(client: Client, workspace: Path) -> None:
    # A migrated call keeps WSU410 as a hint while its review comment is there.
    marker = "  # WSU410: review max_queue (frames, not messages)"
    text = MIXED.replace("timeout=5", "max_queue=64").replace(" as ws:", f" as ws:{marker}")
    uri = open_document(client, workspace / "display_only.py", text)
    diagnostic = by_code(await client.diagnostics_at(uri, 1), "WSU410")
    assert diagnostic.message.endswith("(hint: Review `max_queue` (frames, not messages))")

    actions = await actions_for(client, uri, diagnostic.range, only=["quickfix"])
    assert [a.title for a in actions] == ["Disable WSU410 for this line"]


async def test_disabling_a_rule_for_a_line_adds_and_extends_noqa(
    client: Client, workspace: Path
) -> None:
    text = LEGACY.replace("print(ws.open)", "print(ws.open, ws.closed)")
    uri = open_document(client, workspace / "noqa.py", text)
    diagnostics = await client.diagnostics_at(uri, 1)
    assert codes(diagnostics) == ["WSU101", "WSU401", "WSU201", "WSU202"]

    actions = await actions_for(client, uri, by_code(diagnostics, "WSU201").range)
    disable = titled(actions, "Disable WSU201 for this line")
    assert disable.edit is not None
    text = apply_workspace_edit(text, uri, disable.edit, version=1)
    assert text.splitlines()[4] == "        print(ws.open, ws.closed)  # noqa: WSU201"

    change_document(client, uri, text, 2)
    diagnostics = await client.diagnostics_at(uri, 2)
    assert codes(diagnostics) == ["WSU101", "WSU401", "WSU202"]
    actions = await actions_for(client, uri, by_code(diagnostics, "WSU202").range)
    disable = titled(actions, "Disable WSU202 for this line")
    assert disable.edit is not None
    text = apply_workspace_edit(text, uri, disable.edit, version=2)
    assert text.splitlines()[4] == "        print(ws.open, ws.closed)  # noqa: WSU201, WSU202"

    change_document(client, uri, text, 3)
    assert codes(await client.diagnostics_at(uri, 3)) == ["WSU101", "WSU401"]


async def test_fix_all_applies_the_safe_fixes_only(client: Client, workspace: Path) -> None:
    uri = open_document(client, workspace / "fix_all.py", MIXED)
    await client.diagnostics_at(uri, 1)
    everywhere = types.Range(types.Position(0, 0), types.Position(0, 0))
    actions = await actions_for(client, uri, everywhere, only=["source.fixAll"])

    assert [(a.title, a.kind) for a in actions] == [("Fix all WSU problems", "source.fixAll.wsu")]
    assert actions[0].edit is not None
    (change,) = actions[0].edit.document_changes or ()
    assert isinstance(change, types.TextDocumentEdit)
    (edit,) = change.edits
    assert edit.range == types.Range(types.Position(0, 0), types.Position(5, 0))
    fixed = apply_workspace_edit(MIXED, uri, actions[0].edit, version=1)
    assert fixed == MIXED.replace("timeout=5", "close_timeout=5")

    change_document(client, uri, fixed, 2)
    assert codes(await client.diagnostics_at(uri, 2)) == ["WSU201"]
    assert await actions_for(client, uri, everywhere, only=["source.fixAll"]) == []


async def test_actions_honour_the_kinds_asked_for(client: Client, workspace: Path) -> None:
    uri = open_document(client, workspace / "kinds.py", MIXED)
    diagnostic = by_code(await client.diagnostics_at(uri, 1), "WSU406")

    kinds = {a.kind for a in await actions_for(client, uri, diagnostic.range)}
    assert kinds == {"quickfix", "source.fixAll.wsu"}
    kinds = {a.kind for a in await actions_for(client, uri, diagnostic.range, only=["quickfix"])}
    assert kinds == {"quickfix"}
    kinds = {a.kind for a in await actions_for(client, uri, diagnostic.range, only=["source"])}
    assert kinds == {"source.fixAll.wsu"}
    assert await actions_for(client, uri, diagnostic.range, only=["refactor"]) == []


async def test_unsafe_fixes_are_not_part_of_fix_all_by_default(
    client: Client, workspace: Path
) -> None:
    uri = open_document(client, workspace / "only_unsafe.py", LEGACY)
    await client.diagnostics_at(uri, 1)
    everywhere = types.Range(types.Position(0, 0), types.Position(5, 0))
    assert await actions_for(client, uri, everywhere, only=["source.fixAll"]) == []


async def test_edits_land_right_after_non_ascii_text_and_keep_crlf(
    client: Client, workspace: Path
) -> None:
    text = LEGACY.replace("print(ws.open)", 'print("é😀", ws.open)').replace("\n", "\r\n")
    uri = open_document(client, workspace / "unicode_crlf.py", text)
    diagnostic = by_code(await client.diagnostics_at(uri, 1), "WSU201")
    actions = await actions_for(client, uri, diagnostic.range, only=["quickfix"])

    fix = titled(actions, "WSU201: Replace with `ws.state is State.OPEN` (unsafe)")
    assert fix.edit is not None
    fixed = apply_workspace_edit(text, uri, fix.edit, version=1)
    assert 'print("é😀", ws.state is State.OPEN)\r\n' in fixed
    assert "\n" not in fixed.replace("\r\n", "")

    disable = titled(actions, "Disable WSU201 for this line")
    assert disable.edit is not None
    silenced = apply_workspace_edit(text, uri, disable.edit, version=1)
    assert 'print("é😀", ws.open)  # noqa: WSU201\r\n' in silenced


async def test_hover_on_a_noqa_code_explains_the_rule(client: Client, workspace: Path) -> None:
    text = LEGACY.replace("print(ws.open)", "print(ws.open)  # noqa: WSU201, WSU4")
    uri = open_document(client, workspace / "hover.py", text)

    async def hover(character: int) -> types.Hover | None:
        return await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(4, character))
        )

    line = text.splitlines()[4]
    code = await hover(line.index("WSU201") + 2)
    assert code is not None
    assert isinstance(code.contents, types.MarkupContent)
    assert code.contents.kind == types.MarkupKind.Markdown
    assert code.contents.value.startswith("**WSU201** `connection-open`")
    assert "/rules/WSU201/" in code.contents.value
    column = line.index("WSU201")
    assert code.range == types.Range(types.Position(4, column), types.Position(4, column + 6))

    prefix = await hover(line.index("WSU4") + 1)
    assert prefix is not None
    assert isinstance(prefix.contents, types.MarkupContent)
    assert "[WSU401]" in prefix.contents.value
    assert "[WSU411]" in prefix.contents.value
    assert "[WSU201]" not in prefix.contents.value

    assert await hover(line.index("print")) is None


async def test_fix_all_with_unsafe_fixes_enabled_by_the_editor(tmp_path: Path) -> None:
    async with running_server(tmp_path, options={"unsafeFixes": True}) as client:
        uri = open_document(client, tmp_path / "app.py", LEGACY)
        await client.diagnostics_at(uri, 1)
        everywhere = types.Range(types.Position(0, 0), types.Position(0, 0))
        actions = await actions_for(client, uri, everywhere, only=["source.fixAll.wsu"])

    assert [a.title for a in actions] == ["Fix all WSU problems (including unsafe fixes)"]
    assert actions[0].edit is not None
    assert apply_workspace_edit(LEGACY, uri, actions[0].edit, version=1) == LEGACY_FIXED
