"""A server whose handler is an instance: ``serve(self, ...)`` in a method of a router
whose ``__call__(self, websocket, path)`` dispatches on the path.

The handler is the instance's ``__call__``: it takes ``path``, so WSU301 rewrites it to
read ``websocket.request.path``, with the import's switch.
"""
# migration: auto
# rules: WSU101, WSU301
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: remove second argument of ws_handler

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import serve


class Router:
    def __init__(self):
        self.routes = {}

    def route(self, path):
        def register(handler):
            self.routes[path] = handler
            return handler

        return register

    async def __call__(self, websocket, path):
        handler = self.routes.get(path)
        if handler is None:
            await websocket.close(4040, f"no route for {path}")
        else:
            await handler(websocket)

    def serve(self, host, port):
        return serve(self, host, port)


router = Router()


@router.route("/echo")
async def echo(websocket):
    async for message in websocket:
        await websocket.send(message)


async def main():
    async with router.serve("127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}/echo") as websocket:
            await websocket.send("hello")
            print(await websocket.recv())
        async with connect(f"ws://127.0.0.1:{port}/nowhere") as websocket:
            await websocket.wait_closed()
            print(websocket.close_code, websocket.close_reason)


asyncio.run(main())
