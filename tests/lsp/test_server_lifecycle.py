"""Starting and stopping: LSP's exit codes."""

from __future__ import annotations

from pathlib import Path

from tests.lsp.helpers import running_server


async def test_shutdown_then_exit_exits_0(tmp_path: Path) -> None:
    async with running_server(tmp_path) as client:
        assert client.initialize_result is not None
        assert client.initialize_result.server_info is not None
        assert client.initialize_result.server_info.name == "wsu"
    assert client.exit_code == 0


async def test_exit_without_shutdown_exits_1(tmp_path: Path) -> None:
    async with running_server(tmp_path, shutdown=False) as client:
        client.exit(None)
    assert client.exit_code == 1
