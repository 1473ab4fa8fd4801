# wsu: target-version=14.1
"""Collaborative text editor backend: operational-transform lite.

Each document has a revision counter; clients send operations against a revision and
the server rebases them on everything that happened since, then broadcasts. Pinned to
websockets 14.1, where the top-level serve() and broadcast() are the new implementation.
"""

import asyncio
import json
import logging
import uuid
from dataclasses import dataclass, field

import websockets
from websockets.asyncio.server import ServerConnection

log = logging.getLogger("collab")


@dataclass
class Document:
    id: str
    text: str = ""
    revision: int = 0
    history: list = field(default_factory=list)
    editors: set = field(default_factory=set)

    def transform(self, op: dict, since: int) -> dict:
        for applied in self.history[since:]:
            if applied["pos"] <= op["pos"]:
                shift = len(applied.get("insert", "")) - applied.get("delete", 0)
                op = {**op, "pos": max(applied["pos"], op["pos"] + shift)}
        return op

    def apply(self, op: dict) -> None:
        pos, delete, insert = op["pos"], op.get("delete", 0), op.get("insert", "")
        self.text = self.text[:pos] + insert + self.text[pos + delete:]
        self.history.append(op)
        self.revision += 1


DOCUMENTS: dict[str, Document] = {}


def document_for(path: str) -> Document:
    doc_id = path.rsplit("/", 1)[-1] or "scratch"
    return DOCUMENTS.setdefault(doc_id, Document(doc_id))


async def editor(websocket: ServerConnection) -> None:
    doc = document_for(websocket.request.path)
    client_id = uuid.uuid4().hex[:8]
    doc.editors.add(websocket)
    await websocket.send(json.dumps({"type": "init", "text": doc.text, "revision": doc.revision, "you": client_id}))
    try:
        async for raw in websocket:
            msg = json.loads(raw)
            if msg["type"] != "op":
                continue
            op = doc.transform(msg["op"], msg["revision"])
            doc.apply(op)
            websockets.broadcast(doc.editors, json.dumps({"type": "op", "op": op, "revision": doc.revision, "by": client_id}))
    finally:
        doc.editors.discard(websocket)
        log.info("%s left %s (%s)", client_id, doc.id, websocket.close_code)


async def presence(websocket: websockets.WebSocketServerProtocol) -> None:  # error: WSU103
    # older presence endpoint, still typed with the legacy class
    log.info("presence ping from %s", websocket.request_headers.get("X-Client"))  # error: WSU204
    async for _ in websocket:
        await websocket.send(json.dumps({"editors": sum(len(d.editors) for d in DOCUMENTS.values())}))


async def main() -> None:
    async with websockets.serve(editor, "0.0.0.0", 7000), websockets.serve(presence, "0.0.0.0", 7001):
        await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main())
