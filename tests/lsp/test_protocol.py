"""The JSON-RPC layer with raw bytes over stdio: bad params, requests after shutdown, framing."""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest

from lint_plugin.lsp.protocol import FrameReader
from tests.lsp.helpers import SERVER, TIMEOUT


def frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def hover(request_id: int) -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "id": request_id,
        "method": "textDocument/hover",
        "params": {
            "textDocument": {"uri": "file:///nowhere/app.py"},
            "position": {"line": 0, "character": 0},
        },
    }


class RawClient:
    """``wsu server`` in a subprocess, spoken to in bytes."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.buffer = b""

    def send(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def _fill(self, deadline: float) -> None:
        assert self.process.stdout is not None
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no complete message within {TIMEOUT}s; got {self.buffer!r}")
        ready, _, _ = select.select([self.process.stdout], [], [], remaining)
        if ready:
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                raise AssertionError(f"the server closed its output; got {self.buffer!r}")
            self.buffer += chunk

    def receive(self) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while b"\r\n\r\n" not in self.buffer:
            self._fill(deadline)
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        while len(rest) < length:
            self._fill(deadline)
            head, _, rest = self.buffer.partition(b"\r\n\r\n")
        self.buffer = rest[length:]
        message: dict[str, Any] = json.loads(rest[:length])
        return message

    def response(self, request_id: int | None) -> dict[str, Any]:
        """The response to ``request_id``, skipping notifications (log messages)."""
        while True:
            message = self.receive()
            if "method" not in message and message.get("id") == request_id:
                return message

    def close(self) -> None:
        self.process.kill()
        self.process.wait(TIMEOUT)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


@pytest.fixture
def server() -> Iterator[RawClient]:
    client = RawClient()
    try:
        client.send(
            frame(
                {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
            )
        )
        assert "capabilities" in client.response(1)["result"]
        client.send(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        yield client
    finally:
        client.close()


def test_request_with_invalid_params_gets_an_error_response(server: RawClient) -> None:
    server.send(frame({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {}}))
    error = server.response(2)["error"]
    assert error["code"] == -32602
    assert "textDocument/hover" in error["message"]
    bad_uri = {"textDocument": {"uri": 5}, "range": None, "context": {}}
    server.send(
        frame({"jsonrpc": "2.0", "id": 3, "method": "textDocument/codeAction", "params": bad_uri})
    )
    assert server.response(3)["error"]["code"] == -32602
    # A notification with bad params gets no answer, and the server goes on.
    server.send(frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"x": 1}}))
    server.send(frame(hover(4)))
    assert server.response(4)["result"] is None


def test_requests_after_shutdown_get_invalid_request(server: RawClient) -> None:
    server.send(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
    assert server.response(2) == {"jsonrpc": "2.0", "id": 2, "result": None}
    server.send(frame(hover(3)))
    error = server.response(3)["error"]
    assert error["code"] == -32600
    assert "shutting down" in error["message"]
    server.send(frame({"jsonrpc": "2.0", "method": "exit"}))
    assert server.process.wait(TIMEOUT) == 0


BAD_FRAMES = {
    "not a number": b"Content-Length: abc\r\n\r\n{}",
    "negative": b"Content-Length: -5\r\n\r\n{}",
    "missing": b'Content-Type: x\r\n\r\n{"jsonrpc": "2.0"}',
    "too short": b'Content-Length: 3\r\n\r\n{"jsonrpc": "2.0"}',
}


def test_bad_content_length_does_not_swallow_the_next_message(server: RawClient) -> None:
    for request_id, (what, bad) in enumerate(BAD_FRAMES.items(), start=10):
        server.send(bad + frame(hover(request_id)))
        assert server.response(request_id)["result"] is None, what


def test_bodies_that_are_not_messages_get_errors(server: RawClient) -> None:
    server.send(b"Content-Length: 6\r\n\r\n[1, 2]")
    assert server.response(None)["error"]["code"] == -32600
    server.send(b"Content-Length: 5\r\n\r\n{nope" + frame(hover(2)))
    assert server.response(None)["error"]["code"] == -32700
    assert server.response(2)["result"] is None


def test_too_large_content_length_gives_back_the_frames_it_took_in() -> None:
    following = frame(hover(2)) + frame(hover(3))
    stream = io.BytesIO(b"Content-Length: %d\r\n\r\n{}" % (len(following) + 2) + following)
    reader = FrameReader(stream)
    body = reader.next_body()
    assert body is not None and body.startswith(b"{}Content-Length")
    reader.resynchronise(body)
    bodies = [reader.next_body(), reader.next_body(), reader.next_body()]
    assert [json.loads(b)["id"] for b in bodies[:2] if b is not None] == [2, 3]
    assert bodies[2] is None


def test_header_names_are_case_insensitive_and_other_headers_ignored() -> None:
    body = json.dumps(hover(9)).encode()
    stream = io.BytesIO(
        b"\r\ncontent-type: application/vscode-jsonrpc\r\nCONTENT-LENGTH: %d\r\n\r\n" % len(body)
        + body
    )
    reader = FrameReader(stream)
    assert reader.next_body() == body
    assert reader.next_body() is None
