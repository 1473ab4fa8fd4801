"""Chat rooms: one handler shared by several servers through ``functools.partial``.

The handler is bound to a room name with ``functools.partial`` and still takes the
legacy ``path`` argument. Server and client come from the deprecated
``websockets.server`` / ``websockets.client`` aliases.
"""
# migration: auto
# rules: WSU102, WSU301
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: websockets_impl.server.serve is deprecated
# expect-warning: websockets_impl.client.connect is deprecated
# expect-warning: remove second argument of ws_handler

import asyncio
import functools

import websockets.client
import websockets.server


async def room_handler(room, websocket, path):
    nickname = path.rsplit("/", 1)[-1]
    await websocket.send(f"welcome to #{room}, {nickname}")
    async for message in websocket:
        await websocket.send(f"[{room}] <{nickname}> {message}")


async def main():
    lobby = websockets.server.serve(functools.partial(room_handler, "lobby"), "127.0.0.1", 0)
    games = websockets.server.serve(functools.partial(room_handler, "games"), "127.0.0.1", 0)
    async with lobby as lobby_server, games as games_server:
        for server, nickname in [(lobby_server, "ada"), (games_server, "grace")]:
            port = server.sockets[0].getsockname()[1]
            uri = f"ws://127.0.0.1:{port}/users/{nickname}"
            async with websockets.client.connect(uri) as websocket:
                print(await websocket.recv())
                for text in ["hi all", "bye"]:
                    await websocket.send(text)
                    print(await websocket.recv())


asyncio.run(main())
