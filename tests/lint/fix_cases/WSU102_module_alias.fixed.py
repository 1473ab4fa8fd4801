# wsu: target-version=14.0
"""aiocdp and sydney-py: `websockets.client` imported under a name of its own (even
`websockets`). Every name read through it has a replacement in `websockets.asyncio.client`,
so that module is imported under the same name and the names renamed."""

import websockets.asyncio.client as websockets
from websockets import ConnectionClosedError


class Session:
    ws: websockets.ClientConnection | None = None

    async def run(self, uri: str) -> None:
        async with websockets.connect(uri) as ws:
            self.ws = ws
            try:
                print(await ws.recv())
            except ConnectionClosedError:
                pass
