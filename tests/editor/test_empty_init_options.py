"""Editors that send no initialization options: ``null``, ``{}`` or ``[]`` (Neovim)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint_plugin.lsp.client_options import ClientOptions, parse_client_options
from tests.editor.server_command import SERVER
from tests.packaging.stdio_lsp import initialize_and_shutdown


@pytest.mark.parametrize("raw", [None, {}, []])
def test_empty_options_are_the_defaults(raw: object) -> None:
    assert parse_client_options(raw) == (ClientOptions(), [])


@pytest.mark.parametrize("raw", [["select"], "WSU1", 3])
def test_other_non_objects_are_still_reported(raw: object) -> None:
    assert parse_client_options(raw) == (
        ClientOptions(),
        [f"initializationOptions: expected an object, got {raw!r}"],
    )


@pytest.mark.parametrize("raw", [None, {}, []])
def test_server_starts_without_complaint(raw: object, tmp_path: Path) -> None:
    code, messages = initialize_and_shutdown(SERVER, raw, cwd=str(tmp_path))
    assert code == 0
    results = {m["id"]: m for m in messages if "id" in m}
    assert "capabilities" in results[1]["result"]
    assert results[2]["result"] is None
    complaints = [m for m in messages if m.get("method") == "window/showMessage"]
    assert complaints == []
