"""Starting and stopping: LSP's exit codes."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from tests.lsp.helpers import running_server


async def test_initialize_advertises_the_features_then_shutdown_and_exit_exit_0(
    tmp_path: Path,
) -> None:
    async with running_server(tmp_path) as client:
        result = client.initialize_result
        assert result is not None
        assert result.server_info is not None
        assert result.server_info.name == "wsu"
        capabilities = result.capabilities
        assert capabilities.position_encoding == "utf-16"
        sync = capabilities.text_document_sync
        assert isinstance(sync, types.TextDocumentSyncOptions)
        assert sync.open_close
        assert sync.change == types.TextDocumentSyncKind.Incremental
        assert sync.save
        actions = capabilities.code_action_provider
        assert isinstance(actions, types.CodeActionOptions)
        assert list(actions.code_action_kinds or ()) == ["quickfix", "source.fixAll.wsu"]
        assert capabilities.hover_provider
        assert isinstance(capabilities.diagnostic_provider, types.DiagnosticOptions)
    assert client.exit_code == 0


async def test_exit_without_shutdown_exits_1(tmp_path: Path) -> None:
    async with running_server(tmp_path, shutdown=False) as client:
        client.exit(None)
    assert client.exit_code == 1
