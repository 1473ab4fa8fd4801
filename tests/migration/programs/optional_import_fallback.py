"""A client whose websockets import is optional: a stand-in ``connect`` when it is missing.

``try: from websockets.client import connect as ws_connect`` with an ``except
ImportError`` branch defining a ``ws_connect`` that only raises (as generated GraphQL
clients do). The stand-in never runs when websockets is installed: ``ws_connect`` is the
library's ``connect``, so its ``extra_headers=`` is renamed with the import's switch.
"""
# migration: auto
# rules: WSU102, WSU401
# expect-warning: websockets_impl.client.connect is deprecated
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from websockets.asyncio.server import serve

try:
    from websockets.client import connect as ws_connect
except ImportError:

    async def ws_connect(*args, **kwargs):
        raise NotImplementedError("install websockets to use subscriptions")


async def handler(websocket):
    await websocket.send(f"token={websocket.request.headers.get('Authorization')}")


async def subscribe(uri, headers):
    async with ws_connect(uri, extra_headers=headers) as websocket:
        return await websocket.recv()


async def main():
    async with serve(handler, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        print(await subscribe(uri, {"Authorization": "Bearer abc"}))
        print(await subscribe(uri, {}))


asyncio.run(main())
