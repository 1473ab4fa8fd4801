"""Basic Auth with a ``check_credentials`` coroutine, through the top-level alias.

``websockets.basic_auth_protocol_factory(check_credentials=...)`` looks users up in a
table; the protocol factory is kept in a variable and passed as ``create_protocol``.
The handler reports who connected and on which path.

Manual: WSU411 rewrites ``create_protocol=basic_auth_protocol_factory(...)`` only when
the factory call is the argument itself; through a variable, WSU103 and WSU404 give
hints only.
"""
# migration: manual
# rules: WSU101, WSU103, WSU203, WSU404
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: websockets_impl.basic_auth_protocol_factory is deprecated

import asyncio

import websockets
from websockets.exceptions import InvalidHandshake
from websockets.legacy.client import connect
from websockets.legacy.server import serve

USERS = {"carol": "opensesame", "dave": "letmein"}
checked = []


async def check_credentials(username, password):
    checked.append(username)
    return USERS.get(username) == password


async def handler(websocket):
    await websocket.send(f"{websocket.username} subscribed to {websocket.path}")


async def main():
    auth = websockets.basic_auth_protocol_factory(
        realm="feeds", check_credentials=check_credentials
    )
    async with serve(handler, "127.0.0.1", 0, create_protocol=auth) as server:
        port = server.sockets[0].getsockname()[1]
        for user, password in [("carol", "opensesame"), ("dave", "nope"), ("dave", "letmein")]:
            uri = f"ws://{user}:{password}@127.0.0.1:{port}/feeds/{user}"
            try:
                async with connect(uri) as websocket:
                    print(await websocket.recv())
            except InvalidHandshake as exc:
                print(f"{user}: {exc}")
    print("checked:", checked)


asyncio.run(main())
