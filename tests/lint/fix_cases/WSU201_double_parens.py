"""`open` already in parentheses where the replacement needs them: one pair is enough."""

from websockets.asyncio.client import ClientConnection


def changed(ws: ClientConnection, was_open: bool) -> bool:
    return was_open != (ws.open)


def went_down(ws: ClientConnection, was_open: bool) -> bool:
    return was_open == (not ws.open)


def is_alive(ws: ClientConnection) -> bool:
    return ws.open


def pretend_closed(ws: ClientConnection) -> None:
    ws.open = False
