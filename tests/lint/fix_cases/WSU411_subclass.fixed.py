# wsu: extend-select=WSU101,WSU304,WSU404,WSU405
"""Operator and guest consoles behind HTTP Basic Auth, with legacy protocol subclasses."""

import asyncio
import hmac

from websockets.asyncio.server import serve
from websockets.asyncio.server import basic_auth

OPERATORS = {"root": "t00r"}
DISABLED = {"mallory"}


def check_credentials(username: str) -> bool:
    """Accounts can be disabled at run time."""
    return username not in DISABLED


# Passwords are rotated every quarter.
async def operator_protocol_check_credentials(username: str, password: str) -> bool:
    # Constant time, whatever the username.
    expected = OPERATORS.get(username, "")
    return check_credentials(username) and hmac.compare_digest(expected, password)


async def guest_protocol_check_credentials(username, password):
    return username == "guest"


async def console(websocket):
    await websocket.send(f"hello {websocket.username}")


async def main() -> None:
    async with (
        serve(console, "", 8001, process_request=basic_auth(realm="operators", check_credentials=operator_protocol_check_credentials)),
        serve(
            console,
            "",
            8002,
            process_request=basic_auth(check_credentials=guest_protocol_check_credentials),
        ),
    ):
        await asyncio.Future()
