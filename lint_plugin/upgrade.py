"""Findings whose replacement needs a newer websockets than the one the project runs.

The target version never hides a finding: below the version a replacement needs, the
finding is still reported, its message says which version that is, and its fix is shown
but never applied (it would break the code on the version it runs on today).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from lint_plugin.model import Applicability, Diagnostic, Fix
from lint_plugin.settings import Version, format_version

#: How the title of a fix waiting for an upgrade ends (before the version and ")").
AFTER_UPGRADE = " (after upgrading to websockets >= "
_NOTE_RE = re.compile(r" \(needs websockets >= (\d+(?:\.\d+)*); this project runs [^)]*\)")


def upgrade_note(needed: Version, target: Version) -> str:
    needs = format_version(needed)
    return f"needs websockets >= {needs}; this project runs {format_version(target)}"


def awaiting_upgrade(diagnostic: Diagnostic, needed: Version, target: Version) -> Diagnostic:
    """The diagnostic as reported on ``target``: message noted, fix display-only."""
    if waiting_for(diagnostic.message) is not None:
        return diagnostic  # the rule already noted a more specific need
    after = f"{AFTER_UPGRADE}{format_version(needed)})"
    fix = diagnostic.fix
    if fix is not None:
        fix = Fix(fix.edits, Applicability.DISPLAY_ONLY, fix.title + after)
    return replace(
        diagnostic,
        message=f"{diagnostic.message} ({upgrade_note(needed, target)})",
        fix=fix,
        fix_title=(diagnostic.fix_title or "") + after if diagnostic.fix_title else None,
    )


def waiting_for(message: str) -> Version | None:
    """The version a reported finding waits for, read back from its message."""
    match = _NOTE_RE.search(message)
    if match is None:
        return None
    return tuple(int(part) for part in match.group(1).split("."))


def fixable_after_upgrade(message: str, fix: Fix | None) -> Version | None:
    """The version whose upgrade would let a finding (its message and fix) be fixed;
    ``None`` if none would: its fix applies now, it has none, or the upgraded check holds
    it back."""
    if fix is None or not fix_waits_for_upgrade(fix):
        return None
    return waiting_for(message)


def fix_waits_for_upgrade(fix: Fix) -> bool:
    """Is this display-only fix one that an upgrade of websockets would make applicable?"""
    return fix.applicability is Applicability.DISPLAY_ONLY and AFTER_UPGRADE in fix.title


def held_once_upgraded(
    diagnostics: list[Diagnostic], upgraded: Callable[[Version], list[Diagnostic]]
) -> list[Diagnostic]:
    """The findings whose fix waits for an upgrade, told when the upgraded check offers no
    fix for them: a hint there, or a fix held back (``units``: the unit cannot move whole,
    said why), whose preview would show a half migration. ``upgraded(version)`` checks the
    module at that version."""
    from lint_plugin.units import HELD

    waiting = {
        id(d): needed
        for d in diagnostics
        if (needed := fixable_after_upgrade(d.message, d.fix)) is not None
    }
    if not waiting:
        return diagnostics
    unfixed = {
        (d.code, d.start, d.end): d
        for d in upgraded(max(waiting.values()))
        if d.fix is None or not d.fix.has_edits
    }
    found = []
    for diagnostic in diagnostics:
        twin = unfixed.get((diagnostic.code, diagnostic.start, diagnostic.end))
        if twin is not None and id(diagnostic) in waiting:
            # Once upgraded it gets a hint, not this fix: said as the upgraded check says it.
            why = twin.message[twin.message.rindex(HELD) :] if HELD in twin.message else ""
            diagnostic = replace(
                diagnostic,
                message=diagnostic.message + why,
                fix=twin.fix,
                fix_title=twin.fix_title,
            )
        found.append(diagnostic)
    return found
