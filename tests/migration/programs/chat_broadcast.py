"""A chat server that keeps its own set of connections and broadcasts to them.

``from websockets.legacy.server import serve, broadcast``; the handler registers each
connection in a set, broadcasts what it receives to everyone, and unregisters on exit.
Three clients join in turn, then one speaks; each prints what it heard.
"""
# migration: auto
# rules: WSU101
# expect-warning: websockets_impl.legacy is deprecated

import asyncio
import contextlib

from websockets.legacy.client import connect
from websockets.legacy.server import broadcast, serve

CONNECTIONS = set()


async def chat(websocket):
    CONNECTIONS.add(websocket)
    try:
        async for message in websocket:
            broadcast(CONNECTIONS, message)
    finally:
        CONNECTIONS.remove(websocket)


async def main():
    async with serve(chat, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        heard = {}
        async with contextlib.AsyncExitStack() as stack:
            clients = {}
            for name in ["ann", "bob", "cid"]:
                clients[name] = await stack.enter_async_context(connect(uri))
                await clients[name].send(f"{name} joined")
                # Our own message coming back proves that the server registered us.
                heard[name] = [await clients[name].recv()]
            await clients["bob"].send("hello, everyone")
            for name, client in clients.items():
                while heard[name][-1] != "hello, everyone":
                    heard[name].append(await client.recv())
        for name, messages in heard.items():
            print(f"{name} heard: {messages}")
    print("connections left:", len(CONNECTIONS))


asyncio.run(main())
