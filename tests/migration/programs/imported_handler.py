"""A legacy ``serve()`` whose handler is imported from another module and takes ``path``.

``echo`` lives in ``_echo_handlers`` with the legacy ``(websocket, path)`` signature: the
new ``serve()`` would call it with the connection only (``TypeError`` on every
connection). ``wsu check --fix`` on both files migrates them as one unit: this call's
import here, ``echo`` there (``path`` -> ``websocket.request.path``). Checked alone, this
file keeps the call on the legacy implementation (WSU301 at the argument, no fix: the
handler's module is not among the files checked); the client moves.
"""
# migration: auto
# rules: WSU101, WSU301
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: remove second argument of ws_handler

import asyncio

from _echo_handlers import echo
from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def main():
    async with serve(echo, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        for path in ["/north", "/south"]:
            async with connect(f"ws://127.0.0.1:{port}{path}") as websocket:
                print(await websocket.recv())


asyncio.run(main())
