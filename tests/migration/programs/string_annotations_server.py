"""A server whose connection and server types are named in string annotations.

``from websockets.server import serve, WebSocketServer, WebSocketServerProtocol``; the
class annotates a future ``"asyncio.Future[WebSocketServer]"`` and the handler's
parameter ``"WebSocketServerProtocol"``. ``typing.get_type_hints`` evaluates both: a fix
renaming the imports must rename them inside the strings too, or the names are gone.
"""
# migration: auto
# rules: WSU102
# expect-warning: websockets_impl.server.
# expect-warning: websockets_impl.legacy is deprecated

import asyncio
import typing

from websockets.asyncio.client import connect
from websockets.server import WebSocketServer, WebSocketServerProtocol, serve


class Hub:
    opened: "asyncio.Future[WebSocketServer]"

    async def handler(self, websocket: "WebSocketServerProtocol") -> None:
        async for message in websocket:
            await websocket.send(message.upper())

    async def run(self) -> None:
        self.opened = asyncio.get_running_loop().create_future()
        async with serve(self.handler, "127.0.0.1", 0) as server:
            self.opened.set_result(server)
            uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
            async with connect(uri) as websocket:
                await websocket.send("hello")
                print(await websocket.recv())


hints = typing.get_type_hints(Hub)
print("class hints:", sorted(hints), hints["opened"].__origin__.__name__)
print("handler hints:", sorted(typing.get_type_hints(Hub.handler)))
asyncio.run(Hub().run())
