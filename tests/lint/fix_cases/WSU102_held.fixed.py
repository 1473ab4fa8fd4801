"""A deprecated alias in a module that patches a legacy class: the switch is held back."""

import websockets.legacy.server
from websockets.server import serve


async def handler(websocket):
    await websocket.send(websocket.greeting)


websockets.legacy.server.WebSocketServerProtocol.greeting = "hi"


async def main():
    async with serve(handler, "", 0):
        pass
