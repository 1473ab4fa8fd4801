"""A legacy ``serve()`` whose ``process_request`` is imported, and also used otherwise.

``gate`` lives in ``_room_gate`` with the legacy ``(path, request_headers)`` signature,
and this module also reads it (its name, printed). ``wsu check --fix`` on both files
cannot migrate ``gate`` with the call (its other use would keep the legacy view of it):
it reports the call's ``process_request=`` (WSU302, no fix) with that reason, keeps the
server on the legacy implementation and leaves ``_room_gate`` unchanged; the client moves.
Checked alone, the file is held back the same way (``_room_gate`` not checked).
``imported_callbacks`` is the case that migrates.

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
    print("rooms guarded by", gate.__name__)
    async with serve(room, "127.0.0.1", 0, process_request=gate) as server:
        port = server.sockets[0].getsockname()[1]
        for path in ["/chat", "/attic"]:
            try:
                async with connect(f"ws://127.0.0.1:{port}{path}") as websocket:
                    print(path, await websocket.recv())
            except InvalidHandshake as exc:
                print(path, "refused:", "404" in str(exc))


asyncio.run(main())
