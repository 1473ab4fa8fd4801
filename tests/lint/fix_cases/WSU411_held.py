# wsu: extend-select=WSU101,WSU304,WSU404
"""Basic Auth subclasses that keep state or behaviour `basic_auth()` cannot express."""

import asyncio

from websockets.legacy.auth import BasicAuthWebSocketServerProtocol
from websockets.legacy.server import serve

USERS = {"alice": "wonderland"}


class AuditedProtocol(BasicAuthWebSocketServerProtocol):
    realm = "audited"

    async def check_credentials(self, username, password):
        # Reads the connection: basic_auth() passes only the credentials.
        print("login attempt from", self.remote_address)
        return USERS.get(username) == password


class TaggedProtocol(BasicAuthWebSocketServerProtocol):
    async def check_credentials(self, username, password):
        return USERS.get(username) == password

    def describe(self):
        return f"{self.username}@{self.path}"


async def handler(websocket):
    await websocket.send(f"hello {websocket.username}")


async def main() -> None:
    async with (
        serve(handler, "", 8001, create_protocol=AuditedProtocol),
        serve(handler, "", 8002, create_protocol=TaggedProtocol),
    ):
        await asyncio.Future()
