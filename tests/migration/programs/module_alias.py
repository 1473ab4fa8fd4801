"""Submodules imported under names of their own: aiocdp and sydney-py's
``import websockets.client as websockets``, schwab-py and tda-api's
``import websockets.legacy.client as ws_client``. The fixes import the new modules under
the same names and rename what is read through them.
"""
# migration: auto
# rules: WSU101, WSU102, WSU201, WSU202, WSU301
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: websockets_impl.client.connect is deprecated
# expect-warning: websockets_impl.client.WebSocketClientProtocol is deprecated
# expect-warning: remove second argument of ws_handler

import asyncio

import websockets.client as websockets
import websockets.legacy.server as ws_server


async def echo(ws, path):
    async for message in ws:
        await ws.send(f"{path}: {message}")


class Session:
    socket: websockets.WebSocketClientProtocol

    async def run(self, port):
        async with websockets.connect(f"ws://127.0.0.1:{port}/room", open_timeout=5) as ws:
            self.socket = ws
            await ws.send("hello")
            print(await ws.recv())
            print("open:", ws.open)
        print("closed:", self.socket.closed)


async def main():
    async with ws_server.serve(echo, "127.0.0.1", 0) as server:
        await Session().run(server.sockets[0].getsockname()[1])


asyncio.run(main())
