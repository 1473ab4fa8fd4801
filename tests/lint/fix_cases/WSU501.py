# wsu: extend-select=WSU5
"""Relay that forwards text frames as bytes and hashes them."""

import hashlib

from websockets.asyncio.client import ClientConnection, connect


async def forward(source: ClientConnection, sink) -> None:
    payload = (await source.recv()).encode()
    await sink.write(payload)
    sink.write((await source.recv()).encode())


async def digest(ws: ClientConnection) -> str:
    return hashlib.sha256((await ws.recv()).encode()).hexdigest()


async def sizes(ws: ClientConnection) -> tuple[int, str]:
    size = len((await ws.recv()).encode())
    head = (await ws.recv()).encode()[:16]
    text = (await ws.recv()).encode().decode("ascii", "replace")
    return size + len(head), text


async def latin1(ws: ClientConnection) -> bytes:
    return (await ws.recv()).encode("latin-1")


async def main(uri: str, queue) -> None:
    async with connect(uri) as ws:
        first: bytes = (await ws.recv()).encode()
        await queue.put((await ws.recv()).encode())
        print(first, await digest(ws))
