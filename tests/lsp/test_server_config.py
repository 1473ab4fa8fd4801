"""Configuration: ``[tool.wsu]`` reloaded when it changes, initialization options, errors."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from tests.lsp.helpers import (
    LEGACY,
    LEGACY_CODES,
    MIXED,
    Client,
    codes,
    open_document,
    running_server,
    uri_of,
)


def notify_changed(client: Client, path: Path) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            [types.FileEvent(uri_of(path), types.FileChangeType.Changed)]
        )
    )


def errors(client: Client) -> list[str]:
    return [m.message for m in client.messages if m.type == types.MessageType.Error]


async def test_configuration_changes_are_picked_up(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    async with running_server(tmp_path) as client:
        uri = open_document(client, tmp_path / "app.py", LEGACY)
        assert codes(await client.diagnostics_at(uri, 1)) == LEGACY_CODES

        pyproject.write_text('[tool.wsu]\nignore = ["WSU201"]\n')
        publication = client.next_publication(uri)
        notify_changed(client, pyproject)
        assert codes(list((await publication).diagnostics)) == ["WSU101", "WSU401"]

        # A bad key: the user is told which, and linting goes on with the defaults.
        pyproject.write_text('[tool.wsu]\nignore = ["WSU201"]\nselct = ["WSU2"]\n')
        publication = client.next_publication(uri)
        notify_changed(client, pyproject)
        assert codes(list((await publication).diagnostics)) == LEGACY_CODES
        (message,) = errors(client)
        assert "unknown key 'selct' (did you mean 'select'?)" in message
        assert str(tmp_path) in message

        # Saving the fixed file in the editor reloads it too (no watcher needed).
        pyproject.write_text('[tool.wsu]\nignore = ["WSU4"]\n')
        publication = client.next_publication(uri)
        client.text_document_did_save(
            types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri_of(pyproject)))
        )
        assert codes(list((await publication).diagnostics)) == ["WSU101", "WSU201"]
    assert len(errors(client)) == 1


async def test_unsafe_fixes_from_the_configuration_file(tmp_path: Path) -> None:
    (tmp_path / "wsu.toml").write_text("unsafe-fixes = true\n")
    async with running_server(tmp_path) as client:
        uri = open_document(client, tmp_path / "app.py", LEGACY)
        await client.diagnostics_at(uri, 1)
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri),
                range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                context=types.CodeActionContext(diagnostics=[], only=["source.fixAll"]),
            )
        )
    assert [a.title for a in actions or ()] == ["Fix all WSU problems (including unsafe fixes)"]


async def test_initialization_options_layer_over_the_file(tmp_path: Path) -> None:
    (tmp_path / "wsu.toml").write_text('ignore = ["WSU201"]\n')
    options = {"extendSelect": ["WSU2"], "ignore": ["WSU101"]}
    async with running_server(tmp_path, options=options) as client:
        uri = open_document(client, tmp_path / "app.py", LEGACY)
        # extendSelect un-ignores what the file ignores, as on the command line.
        assert codes(await client.diagnostics_at(uri, 1)) == ["WSU401", "WSU201"]
    assert client.messages == []


async def test_bad_initialization_options_are_reported_and_skipped(tmp_path: Path) -> None:
    options = {"selct": ["WSU2"], "unsafeFixes": "yes", "targetVersion": "12"}
    async with running_server(tmp_path, options=options) as client:
        uri = open_document(client, tmp_path / "app.py", MIXED)
        # The good option applies: on 12.0 `ws.open` is reported as waiting for 13.0.
        diagnostics = await client.diagnostics_at(uri, 1)
        assert codes(diagnostics) == ["WSU406", "WSU201"]
        assert "(needs websockets >= 13.0; this project runs 12.0)" in diagnostics[1].message
    reported = errors(client)
    assert len(reported) == 2
    assert "unknown key 'selct' (did you mean 'select'?)" in reported[0]
    assert "unsafeFixes: expected true or false, got 'yes'" in reported[1]


async def test_files_outside_any_workspace_folder_still_find_their_configuration(
    tmp_path: Path,
) -> None:
    workspace, elsewhere = tmp_path / "workspace", tmp_path / "elsewhere"
    workspace.mkdir()
    elsewhere.mkdir()
    (elsewhere / "wsu.toml").write_text('ignore = ["WSU1"]\n')
    async with running_server(workspace) as client:
        uri = open_document(client, elsewhere / "app.py", LEGACY)
        assert codes(await client.diagnostics_at(uri, 1)) == ["WSU401", "WSU201"]


async def test_settings_sent_while_running_replace_the_initialization_options(
    tmp_path: Path,
) -> None:
    async with running_server(tmp_path) as client:
        uri = open_document(client, tmp_path / "app.py", LEGACY)
        assert codes(await client.diagnostics_at(uri, 1)) == LEGACY_CODES

        publication = client.next_publication(uri)
        client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"wsu": {"ignore": ["WSU201"]}})
        )
        assert codes(list((await publication).diagnostics)) == ["WSU101", "WSU401"]

        publication = client.next_publication(uri)
        client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"ignore": "WSU4"})
        )
        assert codes(list((await publication).diagnostics)) == LEGACY_CODES
        (message,) = errors(client)
        assert "ignore" in message
