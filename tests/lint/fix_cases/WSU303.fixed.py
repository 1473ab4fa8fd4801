"""Subprotocol negotiation for a server speaking several protocol versions."""

import asyncio
import logging

from websockets.asyncio.server import serve

log = logging.getLogger(__name__)
PREFERRED = ["chat.v3", "chat.v2"]


def select_subprotocol(connection, subprotocols):
    for candidate in PREFERRED:
        if candidate in subprotocols:
            return candidate
    log.warning("client offered only %s", ", ".join(subprotocols))
    return None


SUBPROTOCOLS = ["a", "b"]


def pick_first(connection, subprotocols):
    for protocol in subprotocols:
        if protocol in SUBPROTOCOLS:
            return protocol
    return None


def choose(connection, subprotocols):
    return next(iter(subprotocols), None)


def server_order(connection, subprotocols):
    return next((p for p in PREFERRED if p in subprotocols), None)


def typed(connection, subprotocols: list[str]) -> str | None:
    return next((p for p in subprotocols if p in PREFERRED), None)


def by_options(client_subprotocols, server_subprotocols):
    # The server's list comes with the caller's options: a hand edit.
    return server_subprotocols[0] if client_subprotocols else None


async def handler(websocket):
    await websocket.send(f"speaking {websocket.subprotocol}")


async def main() -> None:
    async with (
        serve(handler, "", 8001, subprotocols=PREFERRED, select_subprotocol=select_subprotocol),
        serve(handler, "", 8002, subprotocols=SUBPROTOCOLS, select_subprotocol=pick_first),
        serve(handler, "", 8003, select_subprotocol=choose),
        serve(handler, "", 8004, subprotocols=PREFERRED, select_subprotocol=server_order),
        serve(handler, "", 8006, subprotocols=PREFERRED, select_subprotocol=typed),
    ):
        await asyncio.Future()


async def configurable(options) -> None:
    async with serve(handler, "", 8005, select_subprotocol=by_options, **options):
        await asyncio.Future()
