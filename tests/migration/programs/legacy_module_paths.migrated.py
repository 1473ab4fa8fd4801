"""legacy_module_paths.py migrated by hand: the new modules, and no ``ensure_open()``
(``send()`` raises ``ConnectionClosed`` by itself when the connection is closed)."""

import asyncio

import websockets.asyncio.client as ws_client
import websockets.asyncio.server


async def handler(websocket):
    async for message in websocket:
        await websocket.send(message[::-1])


async def main():
    async with websockets.asyncio.server.serve(handler, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        async with ws_client.connect(uri) as websocket:
            for word in ["stressed", "drawer", "level"]:
                await websocket.send(word)
                print(word, "->", await websocket.recv())


asyncio.run(main())
