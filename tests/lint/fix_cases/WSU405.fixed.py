"""A client half migrated by hand: the subclass is new, the argument still ancient."""

from websockets.asyncio.client import ClientConnection, connect


class CountingClient(ClientConnection):
    received = 0

    async def recv(self, decode=None):
        self.received += 1
        return await super().recv(decode)


async def fetch(uri, klass):
    async with connect(uri, create_connection=CountingClient) as websocket:
        await websocket.recv()
    # Whatever the caller passes: a hint only.
    async with connect(uri, klass=klass) as websocket:
        await websocket.recv()
