"""The callbacks of ``held_imported_callbacks``, in a module of their own."""

import http


async def gate(path, request_headers):
    if path != "/chat":
        return http.HTTPStatus.NOT_FOUND, [], b"no such room\n"


async def room(websocket):
    await websocket.send("joined the chat")
