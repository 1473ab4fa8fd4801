"""Echo server whose handler takes the request path as a second argument.

The oldest style of websockets code: imports from ``websockets.legacy``, a
``handler(websocket, path)`` that routes on the path, and a client that talks to two
routes.
"""
# migration: auto
# rules: WSU101, WSU301
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: remove second argument of ws_handler

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def handler(websocket, path):
    if path == "/echo":
        async for message in websocket:
            await websocket.send(message)
    elif path.startswith("/shout"):
        async for message in websocket:
            await websocket.send(message.upper() + "!")
    else:
        await websocket.close(4004, f"no route for {path}")


async def main():
    async with serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        for path in ["/echo", "/shout?loud=1", "/missing"]:
            async with connect(f"ws://127.0.0.1:{port}{path}") as websocket:
                for text in ["hello", "path handlers"]:
                    try:
                        await websocket.send(text)
                        print(f"{path} {text!r} -> {await websocket.recv()!r}")
                    except Exception as exc:
                        print(f"{path} {text!r} -> {type(exc).__name__}")
                        break
            print(f"{path} closed with {websocket.close_code} {websocket.close_reason!r}")


asyncio.run(main())
