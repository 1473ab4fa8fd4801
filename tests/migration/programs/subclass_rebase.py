"""Protocol subclasses that only extend public methods, rebased on the new classes.

The server's ``JournalingServer`` overrides ``send`` to keep a journal of what it sent;
the client's ``TallyClient`` overrides ``recv`` to count messages and adds a helper
method. They are installed with ``create_protocol=`` and the ancient ``klass=``. The fix
rebases them onto ``ServerConnection`` / ``ClientConnection``, passed as
``create_connection=``.
"""
# migration: auto
# rules: WSU101, WSU304, WSU404, WSU405
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: rename klass to create_protocol

import asyncio

from websockets.legacy.client import WebSocketClientProtocol, connect
from websockets.legacy.server import WebSocketServerProtocol, serve

JOURNAL = []


class JournalingServer(WebSocketServerProtocol):
    async def send(self, message):
        JOURNAL.append(message)
        await super().send(message)


class TallyClient(WebSocketClientProtocol):
    tally = 0

    async def recv(self):
        message = await super().recv()
        self.tally += 1
        return message

    def report(self):
        return f"{self.tally} received"


async def countdown(websocket):
    for n in [3, 2, 1]:
        await websocket.send(str(n))


async def main():
    async with serve(countdown, "127.0.0.1", 0, create_protocol=JournalingServer) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}/", klass=TallyClient) as websocket:
            print([await websocket.recv() for _ in range(3)], websocket.report())
        await asyncio.sleep(0)
    print("journal:", JOURNAL)


asyncio.run(main())
