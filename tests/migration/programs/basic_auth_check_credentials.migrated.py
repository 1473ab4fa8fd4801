"""basic_auth_check_credentials.py migrated by hand to the new implementation."""

import asyncio

import websockets
from websockets.exceptions import InvalidHandshake
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

USERS = {"carol": "opensesame", "dave": "letmein"}
checked = []


async def check_credentials(username, password):
    checked.append(username)
    return USERS.get(username) == password


async def handler(websocket):
    await websocket.send(f"{websocket.username} subscribed to {websocket.request.path}")


async def main():
    auth = websockets.basic_auth(realm="feeds", check_credentials=check_credentials)
    async with serve(handler, "127.0.0.1", 0, process_request=auth) as server:
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
