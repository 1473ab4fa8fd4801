"""A service object whose bound method is the connection handler.

``Counter.handle(self, websocket, path)`` keeps per-path counters; the server is
given ``counter.handle``. The handler also reads ``websocket.path`` and the
``request_headers`` of the handshake, and the client reads ``response_headers``.
"""
# migration: auto
# rules: WSU101, WSU203, WSU204, WSU205, WSU301, WSU401
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: remove second argument of ws_handler

import asyncio
from collections import Counter as Tally

from websockets.legacy.client import connect
from websockets.legacy.server import serve


class Counter:
    def __init__(self):
        self.hits = Tally()

    async def handle(self, websocket, path):
        self.hits[path] += 1
        agent = websocket.request_headers.get("X-Client", "anonymous")
        await websocket.send(f"{agent} is visitor #{self.hits[path]} of {websocket.path}")
        await websocket.wait_closed()


async def main():
    counter = Counter()
    async with serve(counter.handle, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        for path, client in [("/a", "alpha"), ("/b", "beta"), ("/a", "gamma")]:
            uri = f"ws://127.0.0.1:{port}{path}"
            async with connect(uri, extra_headers=[("X-Client", client)]) as websocket:
                print(await websocket.recv())
                print("upgrade:", websocket.response_headers["Upgrade"])
    print("hits:", sorted(counter.hits.items()))


asyncio.run(main())
