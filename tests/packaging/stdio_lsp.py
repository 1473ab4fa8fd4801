"""A minimal LSP client over a subprocess's stdio: enough to start and stop a server."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from typing import Any


def _frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def _read_messages(data: bytes) -> list[dict[str, Any]]:
    messages = []
    while data:
        header, _, rest = data.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1])
            for line in header.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        messages.append(json.loads(rest[:length]))
        data = rest[length:]
    return messages


def initialize_and_shutdown(
    command: Sequence[str], initialization_options: object, cwd: str, timeout: float = 30
) -> tuple[int, list[dict[str, Any]]]:
    """Run initialize, initialized, shutdown and exit; the exit code and every message read.

    The whole conversation is written at once: a server answers requests in order, and
    ``exit`` after ``shutdown`` ends it, so reading to EOF collects every answer.
    """
    conversation = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "processId": None,
                "rootUri": None,
                "capabilities": {},
                "initializationOptions": initialization_options,
            },
        },
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    completed = subprocess.run(
        command,
        input=b"".join(_frame(m) for m in conversation),
        capture_output=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
    return completed.returncode, _read_messages(completed.stdout)
