"""Status page that accepts any transport and checks websockets connections by type."""

from websockets.asyncio.client import ClientConnection
from websockets.protocol import State


def describe(transport) -> str:
    if isinstance(transport, ClientConnection):
        return "open" if transport.state is State.OPEN else "closed"
    return "unknown"


def usable(transport) -> bool:
    return isinstance(transport, ClientConnection) and transport.state is State.OPEN


def pretend_closed(transport) -> None:
    if isinstance(transport, ClientConnection):
        # Test double: assigning the attribute gets a hint only.
        transport.open = False
