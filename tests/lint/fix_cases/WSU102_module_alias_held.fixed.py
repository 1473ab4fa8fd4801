# wsu: target-version=14.0
"""A module imported under a name of its own (`import websockets.client as wsc`): the
fix would import another module as `wsc`, so it moves every `connect()` read through it.
One of them reconnects in `async for`, which cannot be migrated automatically: none is.
"""

import websockets.client as wsc


async def once(uri: str) -> None:
    async with wsc.connect(uri) as ws:
        await ws.send("hi")


async def forever(uri: str) -> None:
    async for ws in wsc.connect(uri):
        await ws.send("hi")
