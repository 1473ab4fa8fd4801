"""A local control socket: ``unix_serve`` / ``unix_connect`` from ``websockets.legacy``.

The handler still takes ``path`` and answers commands sent to ``/admin``.
"""
# migration: auto
# rules: WSU101, WSU301
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: remove second argument of ws_handler

import asyncio
import os
import tempfile

from websockets.legacy.client import unix_connect
from websockets.legacy.server import unix_serve

STATE = {"workers": 4}


async def control(websocket, path):
    async for command in websocket:
        if path != "/admin":
            await websocket.send("read-only socket")
        elif command == "status":
            await websocket.send(f"workers={STATE['workers']}")
        elif command == "scale up":
            STATE["workers"] += 1
            await websocket.send("ok")


async def main():
    with tempfile.TemporaryDirectory() as directory:
        socket_path = os.path.join(directory, "control.sock")
        async with unix_serve(control, socket_path):
            for uri in ["ws://localhost/admin", "ws://localhost/public"]:
                async with unix_connect(socket_path, uri) as websocket:
                    for command in ["status", "scale up", "status"]:
                        await websocket.send(command)
                        print(f"{uri} {command!r}: {await websocket.recv()}")


asyncio.run(main())
