# wsu: target-version=13.0
"""A base class testing connections its subclasses make elsewhere (AsyncWebsocketStreamInterface):
renamed, the test is false for the legacy ones, and the replaced connection is never closed."""

import websockets


class StreamBase:
    def __init__(self):
        self.previous = None
        self.present = None

    async def create_ws(self):
        raise NotImplementedError

    async def exchange(self):
        self.previous, self.present = self.present, await self.create_ws()
        if isinstance(self.previous, websockets.WebSocketClientProtocol):
            await self.previous.close()
