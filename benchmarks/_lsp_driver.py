"""``wsu server`` over stdio, timed from a notification to the diagnostics it publishes."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

_SCRIPT = Path(sys.executable).with_name("wsu")
DEFAULT_SERVER = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "lint_plugin.cli"]
SERVER = DEFAULT_SERVER
URI = "file:///bench/large_module.py"
TIMEOUT = 600.0


class Driver:
    """One server process; ``debounce`` is the server's delay before linting an edit."""

    def __init__(self, *, debounce: float | None = 0.0) -> None:
        self.process = subprocess.Popen(
            [*SERVER, "server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.chunks: list[bytes] = []
        self.buffered = b""
        self.version = 1
        self.text = ""
        self.published: list[dict[str, Any]] = []
        """The diagnostics published after the last timed step."""
        self.request(
            1,
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": None,
                "capabilities": {},
                "initializationOptions": {} if debounce is None else {"debounce": debounce},
            },
        )
        self.wait_for(lambda message: message.get("id") == 1)
        self.notify("initialized", {})

    # JSON-RPC --------------------------------------------------------------------------
    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def request(self, request_id: int, method: str, params: object) -> None:
        self._send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})

    def notify(self, method: str, params: object) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def _message(self, deadline: float) -> dict[str, Any]:
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        while True:
            head, separator, rest = self.buffered.partition(b"\r\n\r\n")
            if separator:
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                if len(rest) >= length:
                    self.buffered = rest[length:]
                    message: dict[str, Any] = json.loads(rest[:length])
                    return message
                # Large messages: gather the chunks, join once (not quadratic).
                self.chunks = [self.buffered]
                have = len(rest)
                while have < length:
                    chunk = self._read(fd, deadline)
                    self.chunks.append(chunk)
                    have += len(chunk)
                self.buffered = b"".join(self.chunks)
                continue
            self.buffered += self._read(fd, deadline)

    def _read(self, fd: int, deadline: float) -> bytes:
        remaining = deadline - time.monotonic()
        ready, _, _ = select.select([fd], [], [], max(remaining, 0))
        if not ready:
            raise TimeoutError("the language server did not answer in time")
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise EOFError("the language server closed its output")
        return chunk

    def wait_for(self, wanted: Any) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._message(deadline)
            if wanted(message):
                return message

    def _diagnostics(self) -> dict[str, Any]:
        return self.wait_for(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"].get("version") in (None, self.version)
            )
        )

    def cpu(self) -> float:
        """CPU seconds the server process has used so far, its ended worker processes
        included (a large buffer's segments are checked in workers on open)."""
        from benchmarks._report import process_cpu

        return process_cpu(self.process.pid, children=True)

    def peak_rss(self) -> float:
        """The server process's peak resident memory so far, in MB."""
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    # Timed steps -----------------------------------------------------------------------
    def open(self, text: str) -> float:
        """Seconds from didOpen to the diagnostics published for it."""
        self.text = text
        start = time.perf_counter()
        self.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": URI,
                    "languageId": "python",
                    "version": self.version,
                    "text": text,
                }
            },
        )
        self.published = self._diagnostics()["params"]["diagnostics"]
        return time.perf_counter() - start

    def edit_last_line(self) -> float:
        """Seconds from a one-character edit to the diagnostics that follow (the server asks
        for incremental sync: only the inserted character is sent, as an editor would)."""
        line = self.text.count("\n")
        return self.insert(line, "#" if self.text.endswith("\n") else "\n")

    def insert(self, line: int, inserted: str) -> float:
        """Seconds from inserting ``inserted`` at the end of the 0-based ``line`` to the
        diagnostics that follow."""
        self.version += 1
        start_of_line = 0
        for _ in range(line):
            start_of_line = self.text.index("\n", start_of_line) + 1
        end = self.text.find("\n", start_of_line)
        end = len(self.text) if end < 0 else end
        width = len(self.text[start_of_line:end].encode("utf-16-le")) // 2
        at = {"line": line, "character": width}
        self.text = self.text[:end] + inserted + self.text[end:]
        start = time.perf_counter()
        self.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": URI, "version": self.version},
                "contentChanges": [{"range": {"start": at, "end": at}, "text": inserted}],
            },
        )
        self.published = self._diagnostics()["params"]["diagnostics"]
        return time.perf_counter() - start

    def close(self) -> None:
        try:
            self.request(99, "shutdown", None)
            self.wait_for(lambda message: message.get("id") == 99)
            self.notify("exit", None)
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
            self.process.wait()
        finally:
            for pipe in (self.process.stdin, self.process.stdout):
                if pipe is not None:
                    pipe.close()
