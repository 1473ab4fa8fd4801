# wsu: extend-select=WSU5
"""Relay that forwards text frames as bytes and hashes them."""

import hashlib

from websockets.asyncio.client import ClientConnection, connect


async def forward(source: ClientConnection, sink) -> None:
    payload = await source.recv(decode=False)
    await sink.write(payload)
    sink.write(await source.recv(decode=False))


async def digest(ws: ClientConnection) -> str:
    return hashlib.sha256(await ws.recv(decode=False)).hexdigest()


async def sizes(ws: ClientConnection) -> tuple[int, str]:
    size = len(await ws.recv(decode=False))
    head = (await ws.recv(decode=False))[:16]
    text = (await ws.recv(decode=False)).decode("ascii", "replace")
    return size + len(head), text


async def latin1(ws: ClientConnection) -> bytes:
    return (await ws.recv()).encode("latin-1")


async def main(uri: str, queue) -> None:
    async with connect(uri) as ws:
        first: bytes = await ws.recv(decode=False)
        await queue.put(await ws.recv(decode=False))
        print(first, await digest(ws))
