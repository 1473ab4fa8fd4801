# wsu: extend-select=WSU101,WSU304,WSU404,WSU405
"""Operator and guest consoles behind HTTP Basic Auth, with legacy protocol subclasses."""

import asyncio
import hmac

from websockets.legacy.auth import BasicAuthWebSocketServerProtocol
from websockets.legacy.server import serve

OPERATORS = {"root": "t00r"}
DISABLED = {"mallory"}


def check_credentials(username: str) -> bool:
    """Accounts can be disabled at run time."""
    return username not in DISABLED


class OperatorProtocol(BasicAuthWebSocketServerProtocol):
    """Operators only."""

    # Passwords are rotated every quarter.
    realm: str = "operators"

    async def check_credentials(self, username: str, password: str) -> bool:
        # Constant time, whatever the username.
        expected = OPERATORS.get(username, "")
        return check_credentials(username) and hmac.compare_digest(expected, password)


class GuestProtocol(BasicAuthWebSocketServerProtocol):
    async def check_credentials(self, username, password):
        return username == "guest"


async def console(websocket):
    await websocket.send(f"hello {websocket.username}")


async def main() -> None:
    async with (
        serve(console, "", 8001, create_protocol=OperatorProtocol),
        serve(
            console,
            "",
            8002,
            klass=GuestProtocol,
        ),
    ):
        await asyncio.Future()
