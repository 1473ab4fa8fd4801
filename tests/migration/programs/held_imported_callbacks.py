"""A legacy ``serve()`` whose ``process_request`` is imported from another module.

``gate`` lives in ``_room_gate`` with the legacy ``(path, request_headers)`` signature.
The linter sees one module at a time: it cannot rewrite ``gate`` with this call, so it
reports the call's ``process_request=`` (WSU302, no fix) and keeps the server on the
legacy implementation; the client beside it moves.

Manual: ``gate`` rewritten as ``process_request(connection, request)``.
"""
# migration: manual
# rules: WSU101, WSU302
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from _room_gate import gate, room
from websockets.exceptions import InvalidHandshake
from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def main():
    async with serve(room, "127.0.0.1", 0, process_request=gate) as server:
        port = server.sockets[0].getsockname()[1]
        for path in ["/chat", "/attic"]:
            try:
                async with connect(f"ws://127.0.0.1:{port}{path}") as websocket:
                    print(path, await websocket.recv())
            except InvalidHandshake as exc:
                print(path, "refused:", "404" in str(exc))


asyncio.run(main())
