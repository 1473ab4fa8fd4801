"""Code actions: a quick fix per fixable diagnostic, ``noqa`` for one line, and fix-all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lsprotocol import types

from lint_plugin.fixes import InvalidEdit, apply_edits
from lint_plugin.lsp.convert import Encoding, TextLines, to_lsp_diagnostic, to_text_edits
from lint_plugin.lsp.suppression import noqa_edit
from lint_plugin.model import Applicability, Diagnostic, Edit, Position

QUICK_FIX = types.CodeActionKind.QuickFix.value
FIX_ALL = "source.fixAll.wsu"
KINDS = (QUICK_FIX, FIX_ALL)


def wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Is ``kind`` asked for? ``only`` holds kinds or their parents (``source.fixAll``)."""
    return only is None or any(kind == asked or kind.startswith(f"{asked}.") for asked in only)


def overlaps(diagnostic: Diagnostic, start: Position, end: Position) -> bool:
    """Closed ranges: a cursor right after the flagged text still gets its actions."""
    return diagnostic.start <= end and start <= diagnostic.end


@dataclass(frozen=True)
class Document:
    """The buffer the actions edit, as the client knows it."""

    uri: str
    version: int | None
    lines: TextLines
    encoding: Encoding
    versioned_edits: bool
    """The client takes ``documentChanges``: edits that apply only to this version."""

    def workspace_edit(self, edits: Sequence[Edit]) -> types.WorkspaceEdit:
        text_edits = to_text_edits(edits, self.lines, self.encoding)
        return self._workspace_edit(text_edits)

    def _workspace_edit(self, text_edits: list[types.TextEdit]) -> types.WorkspaceEdit:
        if not self.versioned_edits:
            return types.WorkspaceEdit(changes={self.uri: text_edits})
        identifier = types.OptionalVersionedTextDocumentIdentifier(self.uri, self.version)
        return types.WorkspaceEdit(
            document_changes=[types.TextDocumentEdit(identifier, list(text_edits))]
        )

    def replace_all(self, text: str) -> types.WorkspaceEdit:
        return self._workspace_edit([types.TextEdit(self.lines.whole(self.encoding), text)])


def _applies(document: Document, edits: Sequence[Edit]) -> bool:
    try:
        apply_edits(document.lines.text, edits)
    except InvalidEdit:
        return False
    return True


def quick_fixes(document: Document, diagnostic: Diagnostic) -> list[types.CodeAction]:
    """The diagnostic's own fix (unless display-only), then its ``noqa``."""
    shown = to_lsp_diagnostic(diagnostic, document.lines, document.encoding)
    actions = []
    fix = diagnostic.fix
    if (
        fix is not None
        and fix.edits
        and fix.applicability is not Applicability.DISPLAY_ONLY
        and _applies(document, fix.edits)
    ):
        unsafe = fix.applicability is Applicability.UNSAFE
        actions.append(
            types.CodeAction(
                title=f"{diagnostic.code}: {fix.title}{' (unsafe)' if unsafe else ''}",
                kind=QUICK_FIX,
                diagnostics=[shown],
                edit=document.workspace_edit(fix.edits),
                is_preferred=not unsafe,
            )
        )
    suppress = noqa_edit(document.lines.text, diagnostic.start.line, diagnostic.code)
    if suppress is not None:
        actions.append(
            types.CodeAction(
                title=f"Disable {diagnostic.code} for this line",
                kind=QUICK_FIX,
                diagnostics=[shown],
                edit=document.workspace_edit([suppress]),
            )
        )
    return actions


def fix_all_action(document: Document, fixed: str, *, unsafe: bool) -> types.CodeAction:
    """Every fix the fixed-point fixer applied, as one edit of the whole buffer."""
    title = "Fix all WSU problems" + (" (including unsafe fixes)" if unsafe else "")
    return types.CodeAction(title=title, kind=FIX_ALL, edit=document.replace_all(fixed))
