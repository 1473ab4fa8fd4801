"""Code that reaches into ``websockets.legacy`` through module attributes.

``import websockets.legacy.server`` and an aliased ``import websockets.legacy.client
as ws_client``, then calls through the modules; the handler calls the legacy
``ensure_open()`` before replying.

Manual: WSU101 only rewrites ``from websockets.legacy.X import name`` statements;
attribute chains get a hint, and so does the legacy internal ``ensure_open()`` (WSU207).
"""
# migration: manual
# rules: WSU101, WSU207
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

import websockets.legacy.client as ws_client
import websockets.legacy.server


async def handler(websocket):
    async for message in websocket:
        await websocket.ensure_open()
        await websocket.send(message[::-1])


async def main():
    async with websockets.legacy.server.serve(handler, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        async with ws_client.connect(uri) as websocket:
            for word in ["stressed", "drawer", "level"]:
                await websocket.send(word)
                print(word, "->", await websocket.recv())


asyncio.run(main())
