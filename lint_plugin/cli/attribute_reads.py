"""Reads of a legacy connection member through an attribute, in every file of the run.

A class keeping a connection in an attribute (``self.websocket = await connect(...)``) may
have it read in another module: ``machine.py`` reads ``self._local_client.websocket.open``
and never mentions websockets (so no rule sees it), or mentions it without knowing what
``_local_client`` is. Once the class's module moves its ``connect()`` to the new
implementation, that read raises ``AttributeError``. ``wsu check`` finds such reads by their
text in every file it was given; a module keeping a connection in an attribute of that name
holds its switches back, saying where (``units.held_by_project``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from lint_plugin.rules.wsu207_legacy_connection_internals import MEMBERS as LEGACY_MEMBERS

#: Members only the legacy connection has (WSU201, WSU202, WSU204, WSU205 and WSU207's),
#: but those read on too many other objects (``loop``, ``reader``, ``messages``...).
COMMON = frozenset(
    {"loop", "side", "reader", "handshake", "messages", "pings", "max_queue", "read_limit"}
)
MEMBERS = (
    "open",
    "closed",
    "request_headers",
    "response_headers",
    *sorted(name for name in LEGACY_MEMBERS if name not in COMMON),
)
_ALTERNATIVES = "|".join(MEMBERS)
#: ``.member``: found first (a regular expression starting at every ``.`` with ``\w+`` runs
#: ~15 times slower), then the attribute before it is read backwards.
MEMBER = re.compile(rf"\.({_ALTERNATIVES})\b")
_MEMBER_BYTES = re.compile(MEMBER.pattern.encode())
#: ``<receiver>.attr`` ending where the member starts.
_ATTRIBUTE = re.compile(r"(?<![\w.])([\w.]+)\.([A-Za-z_]\w*)$")

Read = tuple[str, str, int, str]
"""(attribute, file as displayed, line, member)."""


def attribute_reads(
    texts: Iterable[tuple[str, str]],
    others: Iterable[tuple[str, bytes]],
    display: Callable[[str], str],
) -> tuple[Read, ...]:
    """The reads in ``texts`` (display, decoded text: the files checked) and ``others``
    (absolute path, bytes: the files no rule reads; ``display`` shows a path)."""
    found: list[Read] = []
    for shown, text in texts:
        found += _reads(text, shown)
    for path, data in others:
        if _MEMBER_BYTES.search(data) is not None:
            found += _reads(data.decode("utf-8", "replace"), display(path))
    return tuple(found)


def _reads(text: str, shown: str) -> list[Read]:
    found = []
    line, counted = 1, 0
    for match in MEMBER.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        before = _ATTRIBUTE.search(text, start, match.start())
        # ``self.attr.member``: the class's own read, which its module follows.
        if before is not None and before.group(1) != "self":
            line += text.count("\n", counted, match.start())
            counted = match.start()
            found.append((before.group(2), shown, line, match.group(1)))
    return found


def package_root(path: Path) -> tuple[str, bool]:
    """The directory of the top-level package ``path`` is in, or its own directory when
    that is no package (``False``)."""
    directory = top = path.resolve().parent
    while (directory / "__init__.py").is_file():
        top = directory
        directory = directory.parent
    return str(top), top != directory
