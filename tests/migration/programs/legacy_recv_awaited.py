"""``legacy_recv=True`` on an awaited ``connect()``, read until ``recv()`` gives ``None``.

The connection is opened with ``websocket = await connect(...)`` and closed by hand; the
read loop tests each message for ``None``. The fix drops the argument and wraps the read
in ``try`` / ``except ConnectionClosed``, importing it.
"""
# migration: auto
# rules: WSU101, WSU407
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: legacy_recv is deprecated

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def headlines(websocket):
    for title in ["rain", "sun", "snow"]:
        await websocket.send(title)
    await websocket.close(1001, "shutting down")


async def read_all(uri):
    websocket = await connect(uri, legacy_recv=True)
    titles = []
    while True:
        title = await websocket.recv()
        if title is None:
            print("closed after", len(titles), "titles")
            break
        titles.append(title)
    await websocket.close()
    return titles


async def main():
    async with serve(headlines, "127.0.0.1", 0) as server:
        print(await read_all(f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"))


asyncio.run(main())
