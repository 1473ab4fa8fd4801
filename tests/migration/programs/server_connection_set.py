"""A server that reads its open connections from the server object.

``async with serve(...) as server``; the legacy server keeps them in ``server.websockets``
(the new one in ``server.connections``). Three clients join; the server side counts them,
checks each is open and greets each one through the set; then the clients leave and the set
empties.
"""
# migration: auto
# rules: WSU101, WSU201, WSU209
# expect-warning: websockets_impl.legacy is deprecated

import asyncio
import contextlib

from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def handler(websocket):
    async for message in websocket:
        await websocket.send(f"echo {message}")


async def main():
    async with serve(handler, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        async with contextlib.AsyncExitStack() as stack:
            clients = []
            for name in ["ann", "bob", "cid"]:
                client = await stack.enter_async_context(connect(uri))
                await client.send(name)
                print(await client.recv())
                clients.append(client)
            print("open connections:", len(server.websockets))
            print("all open:", all(ws.open for ws in server.websockets))
            for ws in server.websockets:
                await ws.send("welcome")
            for client in clients:
                print(await client.recv())
        while server.websockets:
            await asyncio.sleep(0.01)
        print("connections left:", len(server.websockets))


asyncio.run(main())
