# wsu: target-version=14.0
"""A module imported under a name of its own, from which a name without a replacement in
`websockets.asyncio.client` is also read (the Sans-I/O `ClientProtocol`): importing another
module under that name would break it, so the aliases are hints saying so."""

import websockets.client as wsc


def protocol() -> object:
    return wsc.ClientProtocol()


async def once(uri: str) -> None:
    async with wsc.connect(uri) as ws:
        await ws.send("hi")
