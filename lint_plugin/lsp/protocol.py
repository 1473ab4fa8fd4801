"""JSON-RPC over stdio as LSP frames it, hardened against what pygls lets through.

- A request whose params do not fit its method gets an ``InvalidParams`` error response
  (pygls raised inside the JSON decoder, and the client waited for an answer forever).
- After ``shutdown``, every request but ``exit`` gets ``InvalidRequest`` (pygls answered
  nothing).
- A frame with a missing or malformed ``Content-Length`` is skipped and the reader
  resynchronises on the next ``Content-Length`` header, so the message after it is not
  swallowed; a body that is not JSON gets a ``ParseError`` response.
- Incremental ``didChange`` edits are applied by ``sync.apply_change`` (LSP's line breaks,
  not ``str.splitlines``).
- Results and notifications already encoded as JSON (``RawJson``) are sent as they are,
  without cattrs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams, JsonRpcInvalidRequest, JsonRpcParseError
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.protocol.json_rpc import MsgId, RPCRequest

from lint_plugin.lsp.convert import Encoding
from lint_plugin.lsp.sync import apply_change

log = logging.getLogger("lint_plugin.lsp")

_CONTENT_LENGTH = b"content-length:"
_LENGTH_RE = re.compile(rb"^\s*(\d{1,12})\s*$")


@dataclass(frozen=True)
class RejectedRequest:
    """A request that cannot be handled; it is answered with ``error``."""

    id: int | str | None
    error: types.ResponseError
    jsonrpc: str = "2.0"


#: How much of a message ``HardenedProtocol._write`` gathers before writing it.
_WRITE_SIZE = 64 * 1024


@dataclass(frozen=True)
class RawJson:
    """A request's result or a notification's params, already encoded as JSON, in parts
    that are sent one after the other. Each part is iterated twice, to count the message's
    length and then to send it: a lazy one (a large buffer's diagnostics, tens of MB of
    JSON) is made as it is sent, never held whole."""

    parts: Sequence[Iterable[str]]


class HardenedProtocol(LanguageServerProtocol):
    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except Exception:
            if "id" in data and "method" in data:
                return RejectedRequest(
                    data["id"],
                    types.ResponseError(
                        code=JsonRpcInvalidParams.CODE,
                        message=f"invalid params for {data['method']!r}",
                    ),
                )
            # A notification gets no answer; a bad response is dropped.
            log.warning("dropped a message that does not fit its method: %.200r", data)
            return None

    def handle_message(self, message: Any) -> None:
        if message is None:
            return
        if isinstance(message, RejectedRequest):
            self._send_response(message.id, None, message.error)  # type: ignore[arg-type]
            return
        if (
            self._shutdown
            and isinstance(message, RPCRequest)
            and getattr(message, "method", None) != types.EXIT
        ):
            error = types.ResponseError(
                code=JsonRpcInvalidRequest.CODE,
                message=f"the server is shutting down; {message.method!r} is not served",
            )
            self._send_response(message.id, None, error)
            return
        super().handle_message(message)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Iterator[Any]:
        uri = params.text_document.uri
        document = self.workspace.text_documents.get(unquote(uri))
        if document is None:
            log.warning("ignored a change to %s, which is not open", uri)
            return
        encoding = Encoding.negotiated(self.workspace.position_encoding)
        text = document.source
        for change in params.content_changes:
            text = apply_change(text, change, encoding)
        whole = types.TextDocumentContentChangeWholeDocument(text=text)
        self.workspace.update_text_document(params.text_document, whole)
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    def _send_response(
        self, msg_id: MsgId, result: Any | None = None, error: types.ResponseError | None = None
    ) -> None:
        if error is None and isinstance(result, RawJson):
            head = f'{{"jsonrpc":"2.0","id":{json.dumps(msg_id)},"result":'
            self._write([[head], *result.parts, ["}"]])
            return
        super()._send_response(msg_id, result, error)

    def notify_raw(self, method: str, params: RawJson) -> None:
        head = f'{{"jsonrpc":"2.0","method":{json.dumps(method)},"params":'
        self._write([[head], *params.parts, ["}"]])

    def _write(self, body: Sequence[Iterable[str]]) -> None:
        """Frame and send a message made of ``body``'s parts, as pygls's ``_send_data``
        does, a few tens of KB at a time."""
        if self.writer is None:
            log.error("no transport to send a message on")
            return
        charset = self.CHARSET
        length = sum(
            len(text) if text.isascii() else len(text.encode(charset))
            for part in body
            for text in part
        )
        buffer = bytearray(
            f"Content-Length: {length}\r\n"
            f"Content-Type: {self.CONTENT_TYPE}; charset={charset}\r\n\r\n".encode("ascii")
        )
        # serve_stdio's writer is synchronous, and only the event loop's thread writes.
        for part in body:
            for text in part:
                buffer += text.encode(charset)
                if len(buffer) >= _WRITE_SIZE:
                    self.writer.write(bytes(buffer))
                    buffer.clear()
        if buffer:
            self.writer.write(bytes(buffer))

    def decode(self, body: bytes) -> Any:
        """A frame's body as a message; raises ``ValueError`` when it is not JSON."""
        return json.loads(body, object_hook=self.structure_message)

    def reply_error(self, code: int, message: str) -> None:
        """Answer a message whose id could not be read (JSON-RPC says: id null; pygls's
        annotation forgets that case)."""
        error = types.ResponseError(code=code, message=message)
        self._send_response(None, None, error)  # type: ignore[arg-type]

    def handle_decoded(self, message: Any) -> None:
        if message is not None and not hasattr(message, "jsonrpc"):
            # Valid JSON, but not a JSON-RPC message (an array, a number, no "jsonrpc").
            self.reply_error(JsonRpcInvalidRequest.CODE, "not a JSON-RPC 2.0 message")
            return
        self.handle_message(message)


class FrameReader:
    """Reads LSP frames (headers, blank line, body) from a binary stream.

    Header names are matched without regard to case. A ``Content-Length`` header may
    start in the middle of a line: that is where the next frame starts after a body of
    unknown or wrong length.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.pushed_back = b""

    def _readline(self) -> bytes:
        if self.pushed_back:
            line, newline, rest = self.pushed_back.partition(b"\n")
            if newline:
                self.pushed_back = rest
                return line + newline
            self.pushed_back = b""
            return line + self.stream.readline()
        return self.stream.readline()

    def _read(self, size: int) -> bytes:
        taken, self.pushed_back = self.pushed_back[:size], self.pushed_back[size:]
        while len(taken) < size:
            chunk = self.stream.read(size - len(taken))
            if not chunk:
                break
            taken += chunk
        return taken

    def push_back(self, data: bytes) -> None:
        self.pushed_back = data + self.pushed_back

    def next_body(self) -> bytes | None:
        """The next frame's body; ``None`` at the end of the stream."""
        while True:
            length: int | None = None
            valid = True
            seen_header = False
            while True:
                line = self._readline()
                if not line:
                    return None
                if not line.strip():
                    if seen_header:
                        break
                    continue  # blank lines between frames
                start = line.lower().find(_CONTENT_LENGTH)
                if start > 0:
                    # The end of a body of unknown length, then the next frame: start over.
                    line = line[start:]
                    length, valid = None, True
                seen_header = True
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    match = _LENGTH_RE.match(value)
                    if match is None:
                        valid = False
                        log.warning("bad Content-Length header %.80r; frame skipped", line)
                    else:
                        length = int(match.group(1))
            if length is None or not valid:
                if valid:
                    log.warning("a frame without Content-Length; skipped")
                continue
            body = self._read(length)
            if len(body) < length:
                return None
            return body

    def resynchronise(self, body: bytes) -> None:
        """A body that is not JSON may hold the next frames (its length was too large):
        read again from the first ``Content-Length`` in it."""
        start = body.lower().find(_CONTENT_LENGTH)
        if start > 0:
            self.push_back(body[start:])


async def serve_stdio(server: LanguageServer, stdin: BinaryIO, stdout: BinaryIO) -> None:
    """pygls' stdio loop, with ``FrameReader`` and ``HardenedProtocol.handle_body``."""
    protocol = server.protocol
    assert isinstance(protocol, HardenedProtocol)
    stop = threading.Event()
    # pygls' shutdown() (called when the client sends exit) stops the loop through it.
    server._stop_event = stop
    protocol.set_writer(StdoutWriter(stdout))
    reader = FrameReader(stdin)
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        body = await loop.run_in_executor(server.thread_pool, reader.next_body)
        if body is None:
            break
        try:
            message = protocol.decode(body)
        except (ValueError, RecursionError) as exc:
            # Its length may have been too large: the next frames can be inside it.
            reader.resynchronise(body)
            protocol.reply_error(JsonRpcParseError.CODE, f"cannot decode the message: {exc}")
            continue
        protocol.handle_decoded(message)
