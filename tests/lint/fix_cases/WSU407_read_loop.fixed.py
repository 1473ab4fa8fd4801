"""A feed reader from the websockets 2 era: `recv()` returned `None` at the end."""

from websockets.legacy.client import connect
from websockets.exceptions import ConnectionClosed


async def read_feed(uri):
    websocket = await connect(uri)
    items = []
    while True:
        try:
            item = await websocket.recv()
        except ConnectionClosed:
            print("feed closed after", len(items), "items")
            break
        items.append(item)
    await websocket.close()
    return items


async def first_item(uri):
    async with connect(uri, legacy_recv=True) as websocket:
        # Neither a loop nor a None test: which reads relied on None is unknown.
        return await websocket.recv() or "nothing"


async def modern(uri):
    async with connect(uri) as websocket:
        return await websocket.recv()
