"""``wsu server``: the language server over stdio.

Buffers are linted as the editor holds them (never the file on disk). Linting runs on one
worker thread, so that the connection stays responsive and the configuration cache needs
no lock; a result is published only while its document is still at the version it was
computed for, so an older buffer's diagnostics never land on newer text.

Latency: a change is linted as soon as the document's previous lint is done (after the
``debounce`` quiet time, 0 by default). Changes that arrive while a lint runs are not
queued one by one: when it ends, its stale result is dropped and the latest text is
linted, once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer
from pygls.protocol import default_converter
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

import lint_plugin
from lint_plugin import segment_pool
from lint_plugin.lsp import actions
from lint_plugin.lsp.client_options import ClientOptions, parse_client_options
from lint_plugin.lsp.convert import Encoding, TextLines, WireDiagnostics
from lint_plugin.lsp.hover import hover_markdown, noqa_code_at
from lint_plugin.lsp.linting import Linted, Snapshot, fix_all, lint_snapshot
from lint_plugin.lsp.protocol import HardenedProtocol, RawJson, serve_stdio
from lint_plugin.lsp.workspace_config import WorkspaceConfig, affects_configuration
from lint_plugin.segment_cache import SegmentCaches

log = logging.getLogger("lint_plugin.lsp")

PYTHON_SUFFIXES = frozenset({".py", ".pyi"})
WATCHED_GLOBS = ("**/pyproject.toml", "**/wsu.toml", "**/requirements*.txt")
LATEST_ATTEMPTS = 3
"""How often a request re-lints a buffer that changed while it was being linted."""

T = TypeVar("T")


@dataclass
class ClientFeatures:
    pull_diagnostics: bool = False
    diagnostic_refresh: bool = False
    versioned_edits: bool = False
    watch_registration: bool = False


class WsuServer:
    """The server's state and handlers, around a pygls ``LanguageServer``."""

    def __init__(self) -> None:
        self.ls = LanguageServer(
            "wsu",
            lint_plugin.__version__,
            # Applied by HardenedProtocol with sync.apply_change.
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=HardenedProtocol,
            converter_factory=default_converter,
        )
        self.options = ClientOptions()
        self.config = WorkspaceConfig(self.options, [])
        self.client = ClientFeatures()
        self.encoding = Encoding.UTF16
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wsu-lint")
        self.results: dict[str, Linted] = {}
        self.segments: dict[str, SegmentCaches] = {}
        """Per open document, its segments' records (used on the worker thread only)."""
        self.running: dict[str, tuple[Snapshot, int, asyncio.Task[Linted]]] = {}
        """The lint in progress per document, with the generation it was started under."""
        self.pending: dict[str, asyncio.Task[None]] = {}
        """Per document, the task that publishes its diagnostics once the buffer is linted."""
        self.quiet_until: dict[str, float] = {}
        """Per document, when the debounce after its last change ends (event loop time)."""
        self.linting: set[str] = set()
        """Documents whose pending task is waiting for a lint (not for quiet)."""
        self.wire: dict[str, WireDiagnostics] = {}
        self.reported: set[str] = set()
        """Configuration errors already shown: once each until the next reload."""
        self.shutdown_requested = False
        self._register()

    def _register(self) -> None:
        features: list[tuple[str, object, Callable[..., Any]]] = [
            (types.INITIALIZE, None, self.initialize),
            (types.INITIALIZED, None, self.initialized),
            (types.SHUTDOWN, None, self.shutdown),
            (types.TEXT_DOCUMENT_DID_OPEN, None, self.did_open),
            (types.TEXT_DOCUMENT_DID_CHANGE, None, self.did_change),
            (types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False), self.did_save),
            (types.TEXT_DOCUMENT_DID_CLOSE, None, self.did_close),
            (types.WORKSPACE_DID_CHANGE_WATCHED_FILES, None, self.did_change_watched_files),
            (types.WORKSPACE_DID_CHANGE_CONFIGURATION, None, self.did_change_configuration),
            (
                types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=list(actions.KINDS)),
                self.code_action,
            ),
            (types.TEXT_DOCUMENT_HOVER, None, self.hover),
            (
                types.TEXT_DOCUMENT_DIAGNOSTIC,
                types.DiagnosticOptions(
                    identifier="wsu", inter_file_dependencies=False, workspace_diagnostics=False
                ),
                self.pull_diagnostics,
            ),
        ]
        for method, options, handler in features:
            # A partial, not the bound method: pygls sets attributes on what it registers.
            self.ls.feature(method, options)(functools.partial(handler))

    # -----------------------------------------------------------------------------------
    # Lifecycle.

    def initialize(self, params: types.InitializeParams) -> None:
        self.options, problems = parse_client_options(params.initialization_options)
        self.config = WorkspaceConfig(self.options, _roots(params))
        self.encoding = Encoding.negotiated(self.ls.workspace.position_encoding)
        capabilities = params.capabilities
        self.client = ClientFeatures(
            pull_diagnostics=get_capability(capabilities, "text_document.diagnostic") is not None,
            diagnostic_refresh=bool(
                get_capability(capabilities, "workspace.diagnostics.refresh_support", False)
            ),
            versioned_edits=bool(
                get_capability(capabilities, "workspace.workspace_edit.document_changes", False)
            ),
            watch_registration=bool(
                get_capability(
                    capabilities, "workspace.did_change_watched_files.dynamic_registration", False
                )
            ),
        )
        for problem in problems:
            self._show_error(f"wsu: {problem}; the option is left at its default")

    async def initialized(self, params: types.InitializedParams) -> None:
        if not self.client.watch_registration:
            return
        watchers = [types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED_GLOBS]
        registration = types.Registration(
            id="wsu-configuration-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        try:
            await self.ls.client_register_capability_async(
                types.RegistrationParams(registrations=[registration])
            )
        except Exception as exc:
            # Saving a configuration file in the editor still reloads it.
            log.warning("the client refused to watch the configuration files: %s", exc)

    def shutdown(self, params: None) -> None:
        self.shutdown_requested = True
        for task in self.pending.values():
            task.cancel()
        self.pending.clear()

    def close(self) -> None:
        self.worker.shutdown(wait=False, cancel_futures=True)

    # -----------------------------------------------------------------------------------
    # Documents.

    def did_open(self, params: types.DidOpenTextDocumentParams) -> None:
        self._schedule(params.text_document.uri, delay=0)

    def did_change(self, params: types.DidChangeTextDocumentParams) -> None:
        self._schedule(params.text_document.uri, delay=self.options.debounce)

    async def did_save(self, params: types.DidSaveTextDocumentParams) -> None:
        path = _path_of(params.text_document.uri)
        if path is not None and affects_configuration(path):
            await self._reload()
        else:
            self._schedule(params.text_document.uri, delay=0)

    def did_close(self, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if (task := self.pending.pop(uri, None)) is not None:
            task.cancel()
        self.quiet_until.pop(uri, None)
        self.wire.pop(uri, None)
        self.segments.pop(uri, None)
        if self.results.pop(uri, None) is not None and not self.client.pull_diagnostics:
            self.ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )

    async def did_change_watched_files(self, params: types.DidChangeWatchedFilesParams) -> None:
        paths = (_path_of(change.uri) for change in params.changes)
        if any(path is not None and affects_configuration(path) for path in paths):
            await self._reload()

    async def did_change_configuration(self, params: types.DidChangeConfigurationParams) -> None:
        """Editor settings sent while running: ``{"wsu": {...}}`` or the options themselves,
        with the same names as the initialization options. They replace those."""
        settings = params.settings
        if isinstance(settings, dict) and isinstance(settings.get("wsu"), dict):
            settings = settings["wsu"]
        if not isinstance(settings, dict) or not settings:
            return  # nothing for this server (some clients send null)
        options, problems = parse_client_options(settings)
        self.options = options
        await self._on_worker(setattr, self.config, "client", options)
        for problem in problems:
            self._show_error(f"wsu: {problem}; the option is left at its default")
        await self._reload()

    async def _reload(self) -> None:
        # On the worker: a lint in progress finishes with the configuration it started with.
        await self._on_worker(self.config.reload)
        self.reported.clear()
        if self.client.pull_diagnostics:
            if self.client.diagnostic_refresh:
                self.ls.workspace_diagnostic_refresh(None)
            return
        for document in list(self.ls.workspace.text_documents.values()):
            self._schedule(document.uri, delay=0)

    def _document(self, uri: str) -> TextDocument | None:
        # pygls keys its documents by the unquoted URI ("my%20app" as "my app").
        document: TextDocument | None = self.ls.workspace.text_documents.get(unquote(uri))
        return document

    def _snapshot(self, uri: str) -> Snapshot | None:
        """The open Python document at ``uri``, if there is one."""
        document = self._document(uri)
        if document is None:
            return None
        path = _path_of(uri)
        is_python = document.language_id == "python" or (
            path is not None and path.suffix in PYTHON_SUFFIXES
        )
        if not is_python:
            return None
        return Snapshot(uri, document.version, document.source, path)

    def _is_current(self, snapshot: Snapshot) -> bool:
        document = self._document(snapshot.uri)
        return document is not None and document.version == snapshot.version

    # -----------------------------------------------------------------------------------
    # Linting.

    async def _on_worker(self, function: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.worker, function, *args)

    async def lint(self, snapshot: Snapshot) -> Linted:
        """The snapshot's diagnostics: cached, from the lint in progress, or linted now."""
        uri, generation = snapshot.uri, self.config.generation
        cached = self.results.get(uri)
        if (
            cached is not None
            and cached.generation == generation
            and cached.snapshot.path == snapshot.path
            and cached.snapshot.text == snapshot.text
        ):
            if cached.snapshot != snapshot:
                # A new version with the same text (an undone edit, a save): same result.
                cached = dataclasses.replace(cached, snapshot=snapshot)
                self.results[uri] = cached
            return cached
        running = self.running.get(uri)
        if running is None or running[0] != snapshot or running[1] != generation:
            task = asyncio.ensure_future(self._lint_on_worker(snapshot))
            running = self.running[uri] = (snapshot, generation, task)
        # Shielded: a publication or request given up on does not cancel the others' lint.
        return await asyncio.shield(running[2])

    async def _lint_on_worker(self, snapshot: Snapshot) -> Linted:
        try:
            cache = self.segments.setdefault(snapshot.uri, SegmentCaches())
            linted = await self._on_worker(lint_snapshot, snapshot, self.config, cache)
        finally:
            running = self.running.get(snapshot.uri)
            if running is not None and running[0] is snapshot:
                del self.running[snapshot.uri]
        if linted.resolved.error is not None:
            self._report_config_error(linted.resolved.error)
        if self._is_current(snapshot):
            self.results[snapshot.uri] = linted
        return linted

    def _schedule(self, uri: str, *, delay: float) -> None:
        """Publish the diagnostics of ``uri`` once ``delay`` seconds pass without a change
        and the buffer is linted."""
        if self.client.pull_diagnostics or self.shutdown_requested:
            # The client asks when it wants them; pushing as well would show them twice.
            return
        self.quiet_until[uri] = asyncio.get_running_loop().time() + delay
        if uri in self.linting:
            return  # the task lints the latest text when its lint ends
        if (task := self.pending.pop(uri, None)) is not None:
            task.cancel()  # it was only waiting: start the wait again
        task = asyncio.ensure_future(self._publish_when_linted(uri))
        self.pending[uri] = task

        def forget(done: asyncio.Task[None]) -> None:
            if self.pending.get(uri) is done:
                del self.pending[uri]

        task.add_done_callback(forget)

    async def _publish_when_linted(self, uri: str) -> None:
        loop = asyncio.get_running_loop()
        while True:
            while (wait := self.quiet_until.get(uri, 0.0) - loop.time()) > 0:
                await asyncio.sleep(wait)
            snapshot = self._snapshot(uri)
            if snapshot is None:
                return
            self.linting.add(uri)
            try:
                linted = await self.lint(snapshot)
            finally:
                self.linting.discard(uri)
            if self._is_current(snapshot) and linted.generation == self.config.generation:
                break
            # Changed (or reconfigured) while it was linted: drop this result, lint again.
        self._publish(linted)

    def _publish(self, linted: Linted) -> None:
        snapshot = linted.snapshot
        params = [
            [
                f'{{"uri":{json.dumps(snapshot.uri)},"version":{json.dumps(snapshot.version)},'
                '"diagnostics":'
            ],
            self._encode(linted),
            ["}"],
        ]
        assert isinstance(self.ls.protocol, HardenedProtocol)
        self.ls.protocol.notify_raw(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, RawJson(params))

    def _encode(self, linted: Linted) -> Iterable[str]:
        """The diagnostics as the JSON of an LSP ``Diagnostic[]``."""
        wire = self.wire.setdefault(linted.snapshot.uri, WireDiagnostics())
        return wire.encode(linted.result.diagnostics, linted.lines, self.encoding)

    async def _lint_latest(self, uri: str) -> Linted | None:
        """Lint the buffer as it is when linting ends: again if it changed meanwhile."""
        linted = None
        for _ in range(LATEST_ATTEMPTS):
            snapshot = self._snapshot(uri)
            if snapshot is None:
                return None
            linted = await self.lint(snapshot)
            if self._is_current(snapshot):
                break
        return linted

    async def pull_diagnostics(
        self, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport | RawJson:
        linted = await self._lint_latest(params.text_document.uri)
        if linted is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        result_id = f"{linted.snapshot.version}:{linted.generation}"
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        prefix = f'{{"kind":"full","resultId":{json.dumps(result_id)},"items":'
        return RawJson([[prefix], self._encode(linted), ["}"]])

    # -----------------------------------------------------------------------------------
    # Code actions and hover.

    async def code_action(self, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        linted = await self._lint_latest(params.text_document.uri)
        if linted is None:
            return None
        snapshot = linted.snapshot
        document = actions.Document(
            snapshot.uri,
            snapshot.version,
            linted.lines,
            self.encoding,
            versioned_edits=self.client.versioned_edits,
        )
        only = params.context.only
        found: list[types.CodeAction] = []
        if actions.wanted(actions.QUICK_FIX, only):
            start = linted.lines.from_lsp(params.range.start, self.encoding)
            end = linted.lines.from_lsp(params.range.end, self.encoding)
            for diagnostic in linted.result.diagnostics:
                if actions.overlaps(diagnostic, start, end):
                    found.extend(actions.quick_fixes(document, diagnostic))
        if actions.wanted(actions.FIX_ALL, only) and linted.has_fixes:
            fixed = await self._on_worker(fix_all, linted)
            if fixed != snapshot.text:
                unsafe = linted.resolved.unsafe_fixes
                found.append(actions.fix_all_action(document, fixed, unsafe=unsafe))
        return found

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        snapshot = self._snapshot(params.text_document.uri)
        if snapshot is None:
            return None
        lines = TextLines(snapshot.text)
        code = noqa_code_at(lines, lines.from_lsp(params.position, self.encoding))
        text = hover_markdown(code.code) if code is not None else None
        if code is None or text is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
            range=lines.range(code.start, code.end, self.encoding),
        )

    # -----------------------------------------------------------------------------------
    # Messages.

    def _report_config_error(self, error: str) -> None:
        if error in self.reported:
            return
        self.reported.add(error)
        self._show_error(f"wsu: {error}. Linting with the default settings until it is fixed.")

    def _show_error(self, message: str) -> None:
        kind = types.MessageType.Error
        self.ls.window_log_message(types.LogMessageParams(type=kind, message=message))
        self.ls.window_show_message(types.ShowMessageParams(type=kind, message=message))


def _path_of(uri: str) -> Path | None:
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return Path(path) if path else None


def _roots(params: types.InitializeParams) -> list[Path]:
    uris = [folder.uri for folder in params.workspace_folders or ()]
    if not uris and params.root_uri:
        uris = [params.root_uri]
    roots = [path for uri in uris if (path := _path_of(uri)) is not None]
    if not roots and params.root_path:
        roots = [Path(params.root_path)]
    return roots


def main() -> int:
    """Serve on stdin/stdout; exit 0 after shutdown + exit, 1 after a bare exit (as LSP says)."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    # Stray prints must not corrupt the protocol stream.
    sys.stdout = sys.stderr
    # A forked worker (``segment_pool``) closes ``sys.stdin`` first: not the stream the
    # reader thread may be blocked on (holding its lock) at the fork.
    sys.stdin = open(os.devnull)  # noqa: SIM115 (for the process lifetime)
    logging.basicConfig(level=logging.WARNING, format="wsu server: %(levelname)s: %(message)s")
    # A large buffer's segments are checked in forked workers on open (``segment_pool``).
    segment_pool.JOBS = os.cpu_count() or 1
    server = WsuServer()
    try:
        asyncio.run(serve_stdio(server.ls, stdin, stdout))
    except (BrokenPipeError, KeyboardInterrupt):
        log.info("the client is gone")
    finally:
        server.ls.shutdown()  # type: ignore[no-untyped-call]
        server.close()
    return 0 if server.shutdown_requested else 1
