"""Diagnostics over LSP: pushed on open, change and save; pulled on request."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.helpers import (
    LEGACY,
    LEGACY_CODES,
    Client,
    by_code,
    change_document,
    codes,
    neovim_capabilities,
    open_document,
    pull_capabilities,
    running_server,
    uri_of,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_open_publishes_full_diagnostics(client: Client, workspace: Path) -> None:
    uri = open_document(client, workspace / "opened.py", LEGACY)
    diagnostics = await client.diagnostics_at(uri, 1)

    assert codes(diagnostics) == LEGACY_CODES
    open_ = by_code(diagnostics, "WSU201")
    assert open_.range == types.Range(types.Position(4, 14), types.Position(4, 21))
    assert open_.severity == types.DiagnosticSeverity.Warning
    assert open_.source == "wsu"
    assert list(open_.tags or ()) == [types.DiagnosticTag.Deprecated]
    assert open_.code_description is not None
    assert open_.code_description.href.endswith("/rules/WSU201/")
    assert open_.message.startswith("`ws.open` does not exist in the new implementation")
    assert open_.message.endswith("(fix: Replace with `ws.state is State.OPEN`)")
    headers = by_code(diagnostics, "WSU401")
    assert headers.range == types.Range(types.Position(3, 33), types.Position(3, 57))


async def test_the_buffer_is_linted_not_the_file(client: Client, workspace: Path) -> None:
    path = workspace / "on_disk.py"
    path.write_text("print('nothing to see')\n")
    uri = open_document(client, path, LEGACY)
    assert codes(await client.diagnostics_at(uri, 1)) == LEGACY_CODES

    change_document(client, uri, LEGACY.replace("ws.open", "ws.state"), 2)
    assert codes(await client.diagnostics_at(uri, 2)) == ["WSU101", "WSU401"]

    # Saving re-lints the buffer; what is on disk does not matter.
    publication = client.next_publication(uri)
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri))
    )
    saved = await publication
    assert saved.version == 2
    assert codes(list(saved.diagnostics)) == ["WSU101", "WSU401"]


async def test_broken_buffers_get_no_diagnostics_and_no_errors(
    client: Client, workspace: Path
) -> None:
    uri = open_document(client, workspace / "broken.py", LEGACY)
    await client.diagnostics_at(uri, 1)
    change_document(client, uri, LEGACY.replace("print(ws.open)", "print(ws.open"), 2)
    assert await client.diagnostics_at(uri, 2) == []
    change_document(client, uri, "import websockets\n\x00 def (((\n\t\t  \udcff", 3)
    assert await client.diagnostics_at(uri, 3) == []
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=types.Range(types.Position(0, 0), types.Position(9, 0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert not actions
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(1, 3))
    )
    assert hover is None
    # Still fine with good code.
    change_document(client, uri, LEGACY, 4)
    assert codes(await client.diagnostics_at(uri, 4)) == LEGACY_CODES
    assert client.messages == []


async def test_utf16_columns_after_non_ascii_text(client: Client, workspace: Path) -> None:
    text = LEGACY.replace("print(ws.open)", 'print("é😀", ws.open)')
    uri = open_document(client, workspace / "unicode.py", text)
    diagnostics = await client.diagnostics_at(uri, 1)

    # `        print("é😀", ` is 20 code points; the emoji is two UTF-16 units.
    assert by_code(diagnostics, "WSU201").range == types.Range(
        types.Position(4, 21), types.Position(4, 28)
    )


async def test_closing_a_document_clears_its_diagnostics(client: Client, workspace: Path) -> None:
    uri = open_document(client, workspace / "closed.py", LEGACY)
    await client.diagnostics_at(uri, 1)
    publication = client.next_publication(uri)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
    )
    assert list((await publication).diagnostics) == []


async def test_other_languages_are_left_alone(client: Client, workspace: Path) -> None:
    notes = uri_of(workspace / "notes.md")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=notes, language_id="markdown", version=1, text=LEGACY)
        )
    )
    # Opened after the notes: by the time its diagnostics come, the notes' would have.
    python = open_document(client, workspace / "beside_notes.py", LEGACY)
    await client.diagnostics_at(python, 1)
    assert not [p for p in client.published if p.uri == notes]


async def test_a_burst_of_changes_publishes_only_the_latest_text(tmp_path: Path) -> None:
    # Each version flags `ws.open` on another line: diagnostics of an older version
    # published for a newer one would sit on the wrong line.
    texts = {
        version: LEGACY.replace("print(ws.open)", "pass\n        " * version + "print(ws.open)")
        for version in range(2, 12)
    }
    async with running_server(tmp_path, options={"debounce": 0.2}) as client:
        uri = open_document(client, tmp_path / "app.py", LEGACY)
        await client.diagnostics_at(uri, 1)
        for version, text in texts.items():
            change_document(client, uri, text, version)
        latest = await client.diagnostics_at(uri, 11)

    assert by_code(latest, "WSU201").range.start.line == 4 + 11
    versions = [p.version for p in client.published]
    assert versions == [1, 11], "debounced: the intermediate versions are never linted"


async def test_pull_diagnostics(tmp_path: Path) -> None:
    async with running_server(tmp_path, capabilities=pull_capabilities()) as client:
        uri = open_document(client, tmp_path / "app.py", LEGACY)
        params = types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri))
        report = await client.text_document_diagnostic_async(params)
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        assert codes(list(report.items)) == LEGACY_CODES
        assert by_code(list(report.items), "WSU201").range.start == types.Position(4, 14)

        params.previous_result_id = report.result_id
        unchanged = await client.text_document_diagnostic_async(params)
        assert isinstance(unchanged, types.RelatedUnchangedDocumentDiagnosticReport)

        change_document(client, uri, LEGACY.replace("ws.open", "ws.state"), 2)
        changed = await client.text_document_diagnostic_async(params)
        assert isinstance(changed, types.RelatedFullDocumentDiagnosticReport)
        assert codes(list(changed.items)) == ["WSU101", "WSU401"]

        # A new configuration: the client is asked to pull again.
        (tmp_path / "wsu.toml").write_text('ignore = ["WSU401"]\n')
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                [types.FileEvent(uri_of(tmp_path / "wsu.toml"), types.FileChangeType.Created)]
            )
        )
        await client.until(lambda: client.diagnostic_refresh_count == 1, "a refresh request")
        params.previous_result_id = changed.result_id
        reconfigured = await client.text_document_diagnostic_async(params)
        assert isinstance(reconfigured, types.RelatedFullDocumentDiagnosticReport)
        assert codes(list(reconfigured.items)) == ["WSU101"]
    # A client that pulls is not sent the same diagnostics a second time.
    assert client.published == []


async def test_utf8_positions_when_the_client_prefers_them(tmp_path: Path) -> None:
    text = LEGACY.replace("print(ws.open)", 'print("é😀", ws.open)')
    async with running_server(tmp_path, capabilities=neovim_capabilities()) as client:
        assert client.initialize_result is not None
        assert client.initialize_result.capabilities.position_encoding == "utf-8"
        uri = open_document(client, tmp_path / "app.py", text)
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri))
        )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    # `é` is two bytes in UTF-8 and the emoji four: 20 code points, 24 bytes.
    assert by_code(list(report.items), "WSU201").range == types.Range(
        types.Position(4, 24), types.Position(4, 31)
    )


async def test_incremental_changes_then_quick_edits_publish_the_last_text(
    tmp_path: Path,
) -> None:
    # Long enough that its lint is still running when the next changes come.
    big = LEGACY + "".join(f"async def f{n}(ws):\n    print(ws.open)\n" for n in range(400))
    async with running_server(tmp_path, options={"debounce": 0}) as client:
        uri = open_document(client, tmp_path / "app.py", big)
        for version in (2, 3, 4):
            # Each change inserts a line above `print(ws.open)` of main (line 5, 0-based 4).
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[
                        types.TextDocumentContentChangePartial(
                            range=types.Range(types.Position(4, 0), types.Position(4, 0)),
                            text='        x = "é😀"\r\n',
                        )
                    ],
                )
            )
        latest = await client.diagnostics_at(uri, 4)
    first = min((d for d in latest if d.code == "WSU201"), key=lambda d: d.range.start.line)
    assert first.range.start == types.Position(7, 14)
    assert {p.version for p in client.published} <= {1, 4}, "stale results are dropped"
