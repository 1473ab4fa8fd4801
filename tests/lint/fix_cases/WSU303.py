"""Subprotocol negotiation for a server speaking several protocol versions."""

import asyncio
import logging

from websockets.asyncio.server import serve

log = logging.getLogger(__name__)
PREFERRED = ["chat.v3", "chat.v2"]


def select_subprotocol(client_subprotocols, server_subprotocols):
    for candidate in PREFERRED:
        if candidate in client_subprotocols:
            return candidate
    log.warning("client offered only %s", ", ".join(client_subprotocols))
    return None


def pick_first(client_protocols, server_protocols):
    for protocol in client_protocols:
        if protocol in server_protocols:
            return protocol
    return None


def choose(client_subprotocols, available_subprotocols):
    return next(iter(client_subprotocols), None)


def server_order(client_subprotocols, server_subprotocols):
    return next((p for p in server_subprotocols if p in client_subprotocols), None)


def typed(client_subprotocols: list[str], server_subprotocols: list[str]) -> str | None:
    return next((p for p in client_subprotocols if p in server_subprotocols), None)


def by_options(client_subprotocols, server_subprotocols):
    # The server's list comes with the caller's options: a hand edit.
    return server_subprotocols[0] if client_subprotocols else None


async def handler(websocket):
    await websocket.send(f"speaking {websocket.subprotocol}")


async def main() -> None:
    async with (
        serve(handler, "", 8001, subprotocols=PREFERRED, select_subprotocol=select_subprotocol),
        serve(handler, "", 8002, subprotocols=["a", "b"], select_subprotocol=pick_first),
        serve(handler, "", 8003, select_subprotocol=choose),
        serve(handler, "", 8004, subprotocols=PREFERRED, select_subprotocol=server_order),
        serve(handler, "", 8006, subprotocols=PREFERRED, select_subprotocol=typed),
    ):
        await asyncio.Future()


async def configurable(options) -> None:
    async with serve(handler, "", 8005, select_subprotocol=by_options, **options):
        await asyncio.Future()
