"""Messages the server encodes itself are framed right, however large or non-ASCII.

``HardenedProtocol._write`` sends a message's parts a few tens of KB at a time (a 10 MB
buffer's diagnostics are tens of MB of JSON): its ``Content-Length`` must count the bytes
of every part, and the body must be the parts in order.
"""

from __future__ import annotations

import json

from lint_plugin.lsp.protocol import HardenedProtocol, RawJson
from lint_plugin.lsp.server import WsuServer


class Collected:
    def __init__(self) -> None:
        self.writes: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.writes.append(data)


def test_a_large_message_in_parts_with_non_ascii_text() -> None:
    server = WsuServer()
    try:
        protocol = server.ls.protocol
        assert isinstance(protocol, HardenedProtocol)
        writer = Collected()
        protocol.set_writer(writer)  # type: ignore[arg-type]
        parts = ["["]
        for i in range(20_000):
            if i:
                parts.append(",")
            parts.append(json.dumps({"message": f"é {i} ✓"}, ensure_ascii=False))
        parts.append("]")
        protocol.notify_raw("test/large", RawJson([["["], parts[1:-1], ["]"]]))
        data = b"".join(writer.writes)
        header, _, body = data.partition(b"\r\n\r\n")
        length = int(header.split(b"\r\n")[0].split(b":")[1])
        assert length == len(body) > 400_000
        # Written in pieces of tens of KB: not one more copy of it all, not a write per part.
        assert 5 < len(writer.writes) < 50
        message = json.loads(body)
        assert message["method"] == "test/large"
        assert [item["message"] for item in message["params"]] == [
            f"é {i} ✓" for i in range(20_000)
        ]
    finally:
        server.close()
