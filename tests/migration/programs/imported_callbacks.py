"""A legacy ``serve()`` whose ``process_request`` and ``select_subprotocol`` are imported.

``admit`` and ``pick`` live in ``_lobby_callbacks`` with the legacy signatures
``(path, request_headers)`` and ``(client_subprotocols, server_subprotocols)``.
``wsu check --fix`` on both files migrates them as one unit: this call's import here, the
two callbacks there (``connection.respond()``, ``request.path``, the parameters renamed).
Checked alone, this file keeps the server on the legacy implementation (WSU302 and WSU303
at the arguments, no fix); the client moves.
"""
# migration: auto
# rules: WSU101, WSU302, WSU303
# expect-warning: websockets_impl.legacy is deprecated

import asyncio
import urllib.request

from _lobby_callbacks import admit, lobby, pick
from websockets.exceptions import InvalidHandshake
from websockets.legacy.client import connect
from websockets.legacy.server import serve


def fetch(url):
    with urllib.request.urlopen(url) as response:
        return response.status, response.read()


async def main():
    async with serve(
        lobby,
        "127.0.0.1",
        0,
        subprotocols=["chat.v1", "chat.v2"],
        process_request=admit,
        select_subprotocol=pick,
    ) as server:
        port = server.sockets[0].getsockname()[1]
        print("/healthz", *await asyncio.to_thread(fetch, f"http://127.0.0.1:{port}/healthz"))
        for path, offered in [("/lobby", ["chat.v1", "chat.v2"]), ("/lobby", ["chat.v1"])]:
            async with connect(f"ws://127.0.0.1:{port}{path}", subprotocols=offered) as websocket:
                print(path, offered, await websocket.recv())
        try:
            async with connect(f"ws://127.0.0.1:{port}/attic", subprotocols=["chat.v1"]):
                pass
        except InvalidHandshake as exc:
            print("/attic refused:", "404" in str(exc))


asyncio.run(main())
