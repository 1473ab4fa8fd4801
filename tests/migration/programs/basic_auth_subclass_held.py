"""A ``BasicAuthWebSocketServerProtocol`` subclass that is also the connection class.

``DeskProtocol`` sets ``realm`` and checks credentials like ``basic_auth()`` would, but it
also adds ``describe()``, which the handler calls on the connection: the new connections
are not instances of the subclass, so no fix can replace it with ``basic_auth()``.

Manual: WSU411 says why it has no fix, and the server (its imports, the subclass, the
``create_protocol=`` argument) stays on the legacy implementation; the client, which
depends on nothing of the server's, moves. The hand migration passes
``process_request=basic_auth(...)`` and turns ``describe()`` into a function of the
connection.
"""
# migration: manual
# rules: WSU101, WSU105, WSU203, WSU304, WSU404, WSU411
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: websockets_impl.exceptions.InvalidStatusCode is deprecated

import asyncio

from websockets.exceptions import InvalidStatusCode
from websockets.legacy.auth import BasicAuthWebSocketServerProtocol
from websockets.legacy.client import connect
from websockets.legacy.server import serve

AGENTS = {"carol": "tickets", "dave": "queue"}


class DeskProtocol(BasicAuthWebSocketServerProtocol):
    realm = "helpdesk"

    async def check_credentials(self, username, password):
        return AGENTS.get(username) == password

    def describe(self):
        return f"{self.username} at {self.path}"


async def handler(websocket):
    await websocket.send(f"welcome, {websocket.describe()}")


async def main():
    async with serve(handler, "127.0.0.1", 0, create_protocol=DeskProtocol) as server:
        port = server.sockets[0].getsockname()[1]
        for user, password in [("carol", "tickets"), ("dave", "nope"), ("dave", "queue")]:
            try:
                async with connect(f"ws://{user}:{password}@127.0.0.1:{port}/desk/{user}") as ws:
                    print(f"{user}: {await ws.recv()}")
            except InvalidStatusCode as exc:
                challenge = exc.headers.get("WWW-Authenticate")
                print(f"{user}: refused with {exc.status_code} ({challenge})")


asyncio.run(main())
