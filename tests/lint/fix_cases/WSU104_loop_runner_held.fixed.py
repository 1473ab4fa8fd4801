# wsu: target-version=13.0
"""redis-websocket-api: `serve()` made in a method that runs the event loop itself, while
a coroutine calls another object's method of the same name: that method runs in no
coroutine, where the new `serve()` raises RuntimeError, so the server stays legacy."""

import asyncio

from websockets import serve


class Server:
    def __init__(self, handler_class):
        self.handler_class = handler_class

    async def on_connection(self, websocket):
        handler = self.handler_class(websocket)
        await handler.listen()

    def listen(self, host, port):
        loop = asyncio.new_event_loop()
        loop.run_until_complete(serve(self.on_connection, host, port))
        return loop
