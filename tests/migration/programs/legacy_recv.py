"""A client written for websockets < 3.0: ``recv()`` returns ``None`` once the server closes.

``connect(..., legacy_recv=True)`` keeps that behaviour on the legacy implementation; the
client reads until it gets ``None``. The fix drops the argument and catches
``ConnectionClosed`` around that read instead.
"""
# migration: auto
# rules: WSU101, WSU407
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: legacy_recv is deprecated

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def countdown(websocket):
    for number in ["3", "2", "1"]:
        await websocket.send(number)
    await websocket.close()


async def main():
    async with serve(countdown, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        async with connect(uri, legacy_recv=True) as websocket:
            while True:
                message = await websocket.recv()
                if message is None:
                    print("the server closed the connection")
                    break
                print("got", message)


try:
    asyncio.run(main())
except Exception as exc:
    print(f"crashed: {type(exc).__name__}: {exc}")
