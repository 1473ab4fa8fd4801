"""A feed that polls ``.open`` before each request and checks ``.closed`` at the end.

The client asks for updates while the connection is open; the server answers three
requests, then closes. Both sides report the connection's state where it is settled:
after the opening handshake and after the closing handshake.
"""
# migration: auto
# rules: WSU101, WSU201, WSU202
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from websockets.exceptions import ConnectionClosed
from websockets.legacy.client import connect
from websockets.legacy.server import serve

server_log = []


async def feed(websocket):
    for update in ["BTC 1", "BTC 2", "BTC 3"]:
        request = await websocket.recv()
        if websocket.open:
            await websocket.send(f"{request} -> {update}")
    await websocket.close()
    server_log.append(f"server: open={websocket.open} closed={websocket.closed}")


async def main():
    async with serve(feed, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        websocket = await connect(uri)
        print(f"client: open={websocket.open} closed={websocket.closed}")
        count = 0
        while websocket.open:
            count += 1
            try:
                await websocket.send(f"request {count}")
                print("client: got", await websocket.recv())
            except ConnectionClosed:
                break
        await websocket.wait_closed()
        print(f"client: open={websocket.open} closed={websocket.closed}")
        print("client: close code", websocket.close_code)
    print(*server_log, sep="\n")


asyncio.run(main())
