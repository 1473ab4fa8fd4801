"""Colour in the text formats: when to use it (``--color``, ``NO_COLOR``, ``FORCE_COLOR``,
a terminal) and the ANSI styles of each part, close to ruff's."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

CHOICES = ("auto", "always", "never")

_STYLES = {
    "code": "1;31",
    "path": "1",
    "fixable": "36",
    "gutter": "1;34",
    "carets": "1;31",
    "help": "1;36",
    "added": "32",
    "removed": "31",
    "note": "33",
}


def wants_colour(choice: str, stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """``--color always/never`` decide; with ``auto``, ``NO_COLOR`` (https://no-color.org)
    then ``FORCE_COLOR`` (any non-empty value), then whether ``stream`` is a terminal."""
    if choice != "auto":
        return choice == "always"
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@dataclass(frozen=True)
class Palette:
    enabled: bool = False

    def paint(self, text: str, style: str) -> str:
        if not self.enabled or not text:
            return text
        return f"\x1b[{_STYLES[style]}m{text}\x1b[0m"


PLAIN = Palette()
