"""Arguments renamed or removed over the years, still accepted by the legacy API.

``ws_handler=`` and ``timeout=`` on ``serve()``, an empty string in ``origins`` for
clients that send no ``Origin`` header, ``read_limit=`` and ``max_queue=``;
``timeout=``, ``loop=`` and ``legacy_recv=False`` on ``connect()``.
"""
# migration: auto
# rules: WSU101, WSU204, WSU403, WSU406, WSU407, WSU408, WSU409, WSU410
# remaining: WSU410
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: rename timeout to close_timeout
# expect-warning: use None instead of '' in origins
# expect-warning: remove loop argument

import asyncio

from websockets.exceptions import InvalidHandshake
from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def handler(websocket):
    origin = websocket.request_headers.get("Origin", "no origin")
    async for message in websocket:
        await websocket.send(f"{message} (from {origin})")


async def main():
    loop = asyncio.get_running_loop()
    async with serve(
        ws_handler=handler,
        host="127.0.0.1",
        port=0,
        origins=["", "https://app.example"],
        timeout=2,
        read_limit=2**16,
        max_queue=64,
    ) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        for origin in [None, "https://app.example", "https://evil.example"]:
            try:
                async with connect(
                    uri, origin=origin, timeout=2, loop=loop, legacy_recv=False
                ) as websocket:
                    await websocket.send("hello")
                    print(await websocket.recv())
            except InvalidHandshake as exc:
                print(f"{origin}: refused: {exc}")


asyncio.run(main())
