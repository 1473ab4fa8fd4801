"""A large buffer edited in place gets the diagnostics a freshly opened one gets.

The server checks buffers above ``segment_cache.THRESHOLD`` in segments and re-checks only
those an edit changes: after each incremental edit here (a character typed, a line added,
an import removed, a statement broken then mended), the edited document's diagnostics are
compared with those of a new document opened with the same text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from benchmarks.large_files import generate
from lint_plugin.segment_cache import THRESHOLD
from tests.lint.test_segment_cache import parses
from tests.lsp.helpers import Client, open_document

pytestmark = pytest.mark.asyncio(loop_scope="module")


def position(text: str, offset: int) -> types.Position:
    line = text.count("\n", 0, offset)
    return types.Position(line, offset - (text.rfind("\n", 0, offset) + 1))


async def test_edits_give_a_fresh_documents_diagnostics(client: Client, workspace: Path) -> None:
    text = generate(THRESHOLD * 2)
    uri = open_document(client, workspace / "edited.py", text)
    await client.diagnostics_at(uri, 1)
    middle = text.index("\nasync def client_3(")
    edits = [
        (len(text), len(text), "#"),  # typed on the last line
        (middle, middle, "\n\n# moved\n"),  # lines added: what follows moves
        (middle, middle, "(("),  # a statement broken
        (middle, middle + 2, ""),  # and mended
        (text.index("import websockets\n"), text.index("import websockets\n") + 18, ""),
    ]
    for version, (start, end, inserted) in enumerate(edits, start=2):
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(position(text, start), position(text, end)),
                        text=inserted,
                    )
                ],
            )
        )
        text = text[:start] + inserted + text[end:]
        edited = await client.diagnostics_at(uri, version)
        fresh_uri = open_document(client, workspace / f"fresh_{version}.py", text)
        fresh = await client.diagnostics_at(fresh_uri, 1)
        assert edited == fresh, f"edit {version - 1}"
        # Legacy code has findings; a buffer that does not parse has none.
        assert bool(fresh) == parses(text)
