# wsu: extend-select=WSU101,WSU404,WSU405
"""Connections that keep a journal: subclasses extending only public methods."""

from websockets.legacy.client import WebSocketClientProtocol, connect
from websockets.legacy.server import WebSocketServerProtocol, serve

JOURNAL = []


class JournalingServer(WebSocketServerProtocol):
    async def send(self, message):
        JOURNAL.append(("sent", message))
        await super().send(message)


class JournalingClient(WebSocketClientProtocol):
    """Records what it receives."""

    async def recv(self):
        message = await super().recv()
        JOURNAL.append(("received", message))
        return message

    def last(self):
        return JOURNAL[-1]


async def handler(websocket):
    await websocket.send("hello")


async def main():
    async with serve(handler, "", 8765, create_protocol=JournalingServer):
        async with connect("ws://localhost:8765/", klass=JournalingClient) as websocket:
            await websocket.recv()
            print(websocket.last())
