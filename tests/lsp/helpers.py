"""Driving ``wsu server`` in a subprocess with pytest-lsp's client, and checking its edits.

The edits the server sends are applied here with code of the tests' own (UTF-16 offsets
counted by encoding, not by the server's converter), so that a conversion bug cannot
cancel itself out.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

_SCRIPT = Path(sys.executable).with_name("wsu")
SERVER = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "lint_plugin.cli"]
SERVER = [*SERVER, "server"]
TIMEOUT = 15.0
FAST = {"debounce": 0.02}
"""Initialization options that keep the tests quick."""

# WSU101 (line 1), WSU401 (line 4), WSU201 (line 5): all three fixes are unsafe.
LEGACY = """\
from websockets.legacy.client import connect

async def main():
    async with connect("ws://x", extra_headers={"A": "b"}) as ws:
        print(ws.open)
"""
LEGACY_CODES = ["WSU101", "WSU401", "WSU201"]
# WSU406 has a safe fix (timeout= -> close_timeout=), WSU201 an unsafe one.
MIXED = """\
from websockets.asyncio.client import connect

async def main():
    async with connect("ws://x", timeout=5) as ws:
        print(ws.open)
"""


class Client(LanguageClient):
    """pytest-lsp's client, also keeping every publication (with its version)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.published: list[types.PublishDiagnosticsParams] = []
        self.exit_code: int | None = None
        self.initialize_result: types.InitializeResult | None = None

    async def server_exit(self, server: asyncio.subprocess.Process) -> None:
        self.exit_code = server.returncode
        await super().server_exit(server)

    async def until(self, predicate: Callable[[], Any], what: str) -> Any:
        """Poll until ``predicate()`` is truthy; fail after ``TIMEOUT`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while not (value := predicate()):
            if loop.time() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            await asyncio.sleep(0.01)
        return value

    async def diagnostics_at(self, uri: str, version: int) -> list[types.Diagnostic]:
        """The diagnostics published for ``uri`` at ``version``."""

        def find() -> types.PublishDiagnosticsParams | None:
            return next(
                (p for p in reversed(self.published) if p.uri == uri and p.version == version),
                None,
            )

        params = await self.until(find, f"diagnostics of {uri} version {version}")
        return list(params.diagnostics)

    async def next_publication(self, uri: str) -> types.PublishDiagnosticsParams:
        """The next publication for ``uri`` from now on."""
        seen = len(self.published)

        def newer() -> types.PublishDiagnosticsParams | None:
            return next((p for p in self.published[seen:] if p.uri == uri), None)

        result: types.PublishDiagnosticsParams = await self.until(newer, f"a publication for {uri}")
        return result


def _record(client: Client, params: types.PublishDiagnosticsParams) -> None:
    client.published.append(params)


def _make_client() -> Client:
    client = Client(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _record
    register_lsp_features(client, features)
    return client


def push_capabilities() -> types.ClientCapabilities:
    """A client that takes versioned edits but does not pull diagnostics."""
    return types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True)
        ),
        text_document=types.TextDocumentClientCapabilities(
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(
                        value_set=[types.CodeActionKind.QuickFix, types.CodeActionKind.Source]
                    )
                )
            ),
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
        ),
    )


def pull_capabilities() -> types.ClientCapabilities:
    """A client that pulls diagnostics and can be told to pull again."""
    capabilities = push_capabilities()
    assert capabilities.text_document is not None and capabilities.workspace is not None
    capabilities.text_document.diagnostic = types.DiagnosticClientCapabilities()
    capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
        refresh_support=True
    )
    return capabilities


@asynccontextmanager
async def running_server(
    root: Path,
    *,
    options: dict[str, Any] | None = None,
    capabilities: types.ClientCapabilities | None = None,
    shutdown: bool = True,
) -> AsyncIterator[Client]:
    """``wsu server`` started in ``root`` (the workspace folder), initialized."""
    config = ClientServerConfig(server_command=SERVER, client_factory=_make_client)
    client = await config.start()
    assert isinstance(client, Client)
    try:
        client.initialize_result = await client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities if capabilities is not None else push_capabilities(),
                root_uri=uri_of(root),
                workspace_folders=[types.WorkspaceFolder(uri_of(root), root.name)],
                initialization_options={**FAST, **(options or {})},
            )
        )
        yield client
        if shutdown:
            await client.shutdown_session()
    except BaseException:
        # A failed test: make the server leave at once, or stop() would wait for it.
        with contextlib.suppress(Exception):
            client.exit(None)
        raise
    finally:
        await client.stop()


def neovim_capabilities() -> types.ClientCapabilities:
    return client_capabilities("neovim")


def uri_of(path: Path) -> str:
    uri = from_fs_path(str(path))
    assert uri is not None
    return uri


def open_document(client: Client, path: Path, text: str, version: int = 1) -> str:
    uri = uri_of(path)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)
        )
    )
    return uri


def change_document(client: Client, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return [str(d.code) for d in diagnostics]


def by_code(diagnostics: list[types.Diagnostic], code: str) -> types.Diagnostic:
    found = [d for d in diagnostics if d.code == code]
    assert len(found) == 1, f"expected one {code} in {codes(diagnostics)}"
    return found[0]


# ---------------------------------------------------------------------------------------
# Applying the server's edits, independently of the server's own conversions.

_BREAK_RE = re.compile(r"\r\n|\r|\n")
_CODECS = {"utf-16": ("utf-16-le", 2), "utf-8": ("utf-8", 1), "utf-32": ("utf-32-le", 4)}


def offset_of(text: str, position: types.Position, encoding: str = "utf-16") -> int:
    """The string offset of an LSP position, counting units by actually encoding the line."""
    starts = [0] + [match.end() for match in _BREAK_RE.finditer(text)]
    start = starts[position.line]
    end = starts[position.line + 1] if position.line + 1 < len(starts) else len(text)
    line = text[start:end].rstrip("\r\n")
    codec, width = _CODECS[encoding]
    prefix = line.encode(codec)[: position.character * width].decode(codec)
    return start + len(prefix)


def apply_text_edits(text: str, edits: list[types.TextEdit], encoding: str = "utf-16") -> str:
    spans = sorted(
        (
            (offset_of(text, e.range.start, encoding), offset_of(text, e.range.end, encoding), e)
            for e in edits
        ),
        key=lambda span: span[:2],
    )
    for (_, end, _), (start, _, _) in itertools.pairwise(spans):
        assert end <= start, "the server sent overlapping edits"
    for start, end, edit in reversed(spans):
        text = text[:start] + edit.new_text + text[end:]
    return text


def apply_workspace_edit(text: str, uri: str, edit: types.WorkspaceEdit, version: int) -> str:
    """Apply a versioned workspace edit, checking that it targets this document version."""
    assert edit.document_changes, "expected versioned document changes"
    for change in edit.document_changes:
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.uri == uri
        assert change.text_document.version == version
        edits = [e for e in change.edits if isinstance(e, types.TextEdit)]
        text = apply_text_edits(text, edits)
    return text
