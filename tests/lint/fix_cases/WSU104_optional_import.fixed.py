# wsu: target-version=13.0
"""websockets as an optional dependency: the import the fix adds stays under the guard."""

try:
    import websockets
    import websockets.asyncio.client

    HAS_WEBSOCKETS = True
except ModuleNotFoundError:
    HAS_WEBSOCKETS = False


async def connect(endpoint):
    async with websockets.asyncio.client.connect(endpoint) as protocol:
        return await protocol.recv()
