"""A client whose ``async with connect(...)`` body fails; the server reports the close code.

The legacy client closes with 1000 (normal closure) whatever happened in the body; since
websockets 17.2 the new client closes with 1011 (internal error) when the body raises.
"""
# migration: auto
# rules: WSU101
# expect-warning: websockets_impl.legacy is deprecated
# behaviour-change: WSU101 -- the new client closes with 1011 instead of 1000 when the body of `async with connect(...)` raises (websockets 17.2); no rule flags it

import asyncio

from websockets.exceptions import ConnectionClosedError
from websockets.legacy.client import connect
from websockets.legacy.server import serve

server_log = []


async def handler(websocket):
    try:
        async for message in websocket:
            server_log.append(f"server got {message!r}")
    except ConnectionClosedError:
        pass
    server_log.append(f"server: client closed with {websocket.close_code}")


async def main():
    async with serve(handler, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        for job in ["ok", "crash"]:
            try:
                async with connect(uri) as websocket:
                    await websocket.send(job)
                    if job == "crash":
                        raise ValueError("the job failed")
            except ValueError as exc:
                print(f"client: {exc}")
            print(f"client: {job} job closed with {websocket.close_code}")
    print(*server_log, sep="\n")


asyncio.run(main())
