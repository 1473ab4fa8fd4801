# wsu: extend-select=WSU101,WSU304,WSU404
"""Two servers, each with its own Basic Auth subclass, in a module importing basic_auth."""

import asyncio

from websockets.asyncio.server import basic_auth
from websockets.asyncio.server import serve as new_serve
from websockets.legacy.auth import BasicAuthWebSocketServerProtocol
from websockets.legacy.server import serve
from websockets.legacy.server import unix_serve

TOKENS = {"ops": "hunter2"}


class OpsProtocol(BasicAuthWebSocketServerProtocol):
    realm = "ops"

    async def check_credentials(self, username, password):
        return TOKENS.get(username) == password


class LocalProtocol(BasicAuthWebSocketServerProtocol):
    realm = "local"

    async def check_credentials(self, username, password):
        return username == "root"


async def console(websocket):
    await websocket.send(f"hello {websocket.username}")


async def main() -> None:
    async with serve(console, "", 8001, create_protocol=OpsProtocol):
        await asyncio.Future()


async def local() -> None:
    async with unix_serve(console, "/run/console.sock", create_protocol=LocalProtocol):
        await asyncio.Future()


async def guest(handler) -> None:
    async with new_serve(handler, "", 8002, process_request=basic_auth(credentials=("guest", ""))):
        await asyncio.Future()
