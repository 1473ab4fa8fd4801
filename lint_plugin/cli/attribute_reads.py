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

#: Members only the legacy connection has, distinctive enough to be read as one (``path``,
#: ``host``, ``loop`` are read on too many other objects).
MEMBERS = (
    "open",
    "closed",
    "request_headers",
    "response_headers",
    "transfer_data_task",
    "close_connection_task",
    "keepalive_ping_task",
    "fail_connection",
    "ensure_open",
    "read_message",
    "legacy_recv",
    "close_rcvd",
    "close_sent",
    "close_rcvd_then_sent",
    "connection_open",
    "available_subprotocols",
)
_ALTERNATIVES = "|".join(MEMBERS)
#: ``<something>.attr.member``, not ``self.attr.member`` (the class's own reads, which its
#: module follows) and not a longer name (``.opened``).
_READ = re.compile(rf"(?<!\bself)\.([A-Za-z_]\w*)\.({_ALTERNATIVES})\b")
_READ_BYTES = re.compile(_READ.pattern.encode())

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
        for match in _READ.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append((match.group(1), shown, line, match.group(2)))
    for path, data in others:
        for raw in _READ_BYTES.finditer(data):
            line = data.count(b"\n", 0, raw.start()) + 1
            found.append((raw.group(1).decode(), display(path), line, raw.group(2).decode()))
    return tuple(found)


def package_root(path: Path) -> str:
    """The directory of the top-level package ``path`` is in (its own directory when that
    is no package)."""
    directory = top = path.resolve().parent
    while (directory / "__init__.py").is_file():
        top = directory
        directory = directory.parent
    return str(top)
