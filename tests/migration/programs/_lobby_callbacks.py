"""The callbacks of ``imported_callbacks``, in a module of their own."""

import http


async def admit(path, request_headers):
    if path == "/healthz":
        return http.HTTPStatus.OK, [], b"OK\n"
    if path != "/lobby":
        return http.HTTPStatus.NOT_FOUND, [], b"no such room\n"


def pick(client_subprotocols, server_subprotocols):
    return "chat.v2" if "chat.v2" in client_subprotocols else client_subprotocols[0]


async def lobby(websocket):
    await websocket.send(f"welcome, speaking {websocket.subprotocol}")
