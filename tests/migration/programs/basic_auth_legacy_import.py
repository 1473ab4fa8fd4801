"""HTTP Basic Auth the way the guide shows it: ``basic_auth_protocol_factory``.

The server protects itself with ``create_protocol=basic_auth_protocol_factory(...)``
from ``websockets.legacy.auth`` and greets users by ``websocket.username``; clients
put credentials in the URI, and a wrong password is refused with 401.
"""
# migration: auto
# rules: WSU101, WSU105, WSU411
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: websockets_impl.exceptions.InvalidStatusCode is deprecated

import asyncio

from websockets.exceptions import InvalidStatusCode
from websockets.legacy.auth import basic_auth_protocol_factory
from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def handler(websocket):
    await websocket.send(f"hello {websocket.username}")


async def main():
    async with serve(
        handler,
        "127.0.0.1",
        0,
        create_protocol=basic_auth_protocol_factory(
            realm="ops", credentials=[("alice", "s3cret"), ("bob", "hunter2")]
        ),
    ) as server:
        port = server.sockets[0].getsockname()[1]
        for user, password in [("alice", "s3cret"), ("bob", "hunter2"), ("bob", "guess")]:
            try:
                async with connect(f"ws://{user}:{password}@127.0.0.1:{port}/") as websocket:
                    print(f"{user}/{password}: {await websocket.recv()}")
            except InvalidStatusCode as exc:
                print(f"{user}/{password}: refused with {exc.status_code}")


asyncio.run(main())
