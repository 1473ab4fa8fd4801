"""alienpy: `extra_headers=` holding `User-Agent` among other headers (a list of pairs bound
to a name). The legacy client sends that one only; the new one of websockets 14.x adds its
own beside what `additional_headers=` gives, so the fix also passes `user_agent_header=None`
(the later releases send the given one only, either way).
"""
# migration: auto
# rules: WSU101, WSU401
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from websockets.asyncio.server import serve
from websockets.legacy.client import connect


async def agents(websocket):
    await websocket.send(" | ".join(websocket.request.headers.get_all("User-Agent")))


async def main():
    async with serve(agents, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        headers = [("User-Agent", "alien.py/1.4"), ("X-Token", "t")]
        async with connect(uri, extra_headers=headers, open_timeout=5) as websocket:
            print(await websocket.recv())


asyncio.run(main())
