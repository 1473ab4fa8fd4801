"""`open` already in parentheses where the replacement needs them: one pair is enough."""

from websockets.asyncio.client import ClientConnection
from websockets.protocol import State


def changed(ws: ClientConnection, was_open: bool) -> bool:
    return was_open != (ws.state is State.OPEN)


def went_down(ws: ClientConnection, was_open: bool) -> bool:
    return was_open == (ws.state is not State.OPEN)


def is_alive(ws: ClientConnection) -> bool:
    return ws.state is State.OPEN


def pretend_closed(ws: ClientConnection) -> None:
    ws.open = False
