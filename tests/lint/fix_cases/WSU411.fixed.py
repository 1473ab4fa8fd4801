"""Admin consoles protected with HTTP Basic Auth, built with the legacy protocol factory."""

import asyncio
import hmac

import websockets
from websockets.asyncio.server import serve, basic_auth
from websockets.legacy.auth import basic_auth_protocol_factory

USERS = {"alice": "s3cr3t", "bob": "hunter2"}


def check(username: str, password: str) -> bool:
    return hmac.compare_digest(USERS.get(username, ""), password)


async def console(websocket):
    await websocket.send(f"hello {websocket.username}")


async def health(connection, request):
    return None


async def main() -> None:
    async with (
        serve(
            console,
            "",
            8001,
            process_request=basic_auth(
                realm="admin", credentials=("admin", "letmein")
            ),
        ),
        serve(console, "", 8002, process_request=basic_auth(
            "ops", check_credentials=check
        )),
        serve(
            console,
            "",
            8003,
            process_request=health,
            create_protocol=basic_auth_protocol_factory("ops", check_credentials=check),
        ),
    ):
        await asyncio.Future()
