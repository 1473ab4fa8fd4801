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


def pick_first(client_protocols, server_protocols):
    for protocol in client_protocols:
        if protocol in server_protocols:
            return protocol
    return None


def choose(connection, subprotocols):
    return next(iter(subprotocols), None)


async def handler(websocket):
    await websocket.send(f"speaking {websocket.subprotocol}")


async def main() -> None:
    async with (
        serve(handler, "", 8001, subprotocols=PREFERRED, select_subprotocol=select_subprotocol),
        serve(handler, "", 8002, subprotocols=["a", "b"], select_subprotocol=pick_first),
        serve(handler, "", 8003, select_subprotocol=choose),
    ):
        await asyncio.Future()
