"""A legacy ``serve()`` whose handler, imported from another module, has another use there.

``echo`` lives in ``_shared_echo`` with the legacy ``(websocket, path)`` signature, and
``echo_twice`` there calls it with the path. Migrating ``echo`` with this call would break
that call: ``wsu check --fix`` on both files keeps the server on the legacy
implementation, saying why ("it is also used at line 10 of _shared_echo.py, not as a
`serve()` handler"), and leaves ``_shared_echo`` unchanged; the client moves.

Manual: ``echo`` and ``echo_twice`` rewritten to take the connection only.
"""
# migration: manual
# rules: WSU101, WSU301
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: remove second argument of ws_handler

import asyncio

from _shared_echo import echo
from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def main():
    async with serve(echo, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        for path in ["/east", "/west"]:
            async with connect(f"ws://127.0.0.1:{port}{path}") as websocket:
                print(await websocket.recv())


asyncio.run(main())
