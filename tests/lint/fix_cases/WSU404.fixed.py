"""A server half migrated by hand: the subclass is new, the argument still legacy."""

from websockets.asyncio.server import ServerConnection, serve


class AuditedConnection(ServerConnection):
    async def send(self, message, text=None):
        print("->", message)
        await super().send(message, text=text)


def make_protocol(*args, **kwargs):
    return AuditedConnection(*args, **kwargs)


async def handler(websocket):
    await websocket.send("hello")


async def main():
    async with serve(handler, "", 8765, create_connection=AuditedConnection):
        pass
    # A factory: what it builds is not followed, a hint only.
    async with serve(handler, "", 8766, create_protocol=make_protocol):
        pass
