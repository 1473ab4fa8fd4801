"""basic_auth_subclass_held.py migrated by hand: ``basic_auth(...)`` checks the credentials
and sets ``connection.username``; ``describe()`` is a function of the connection."""

import asyncio

from websockets.asyncio.client import connect
from websockets.asyncio.server import basic_auth, serve
from websockets.exceptions import InvalidStatus

AGENTS = {"carol": "tickets", "dave": "queue"}


async def check_credentials(username, password):
    return AGENTS.get(username) == password


def describe(connection):
    return f"{connection.username} at {connection.request.path}"


async def handler(websocket):
    await websocket.send(f"welcome, {describe(websocket)}")


async def main():
    auth = basic_auth(realm="helpdesk", check_credentials=check_credentials)
    async with serve(handler, "127.0.0.1", 0, process_request=auth) as server:
        port = server.sockets[0].getsockname()[1]
        for user, password in [("carol", "tickets"), ("dave", "nope"), ("dave", "queue")]:
            try:
                async with connect(f"ws://{user}:{password}@127.0.0.1:{port}/desk/{user}") as ws:
                    print(f"{user}: {await ws.recv()}")
            except InvalidStatus as exc:
                challenge = exc.response.headers.get("WWW-Authenticate")
                print(f"{user}: refused with {exc.response.status_code} ({challenge})")


asyncio.run(main())
