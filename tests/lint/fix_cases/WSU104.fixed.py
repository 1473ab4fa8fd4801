# wsu: target-version=13.1
"""Notification pusher pinned to websockets 13.1, where the top-level names are legacy."""

import asyncio
import functools

import websockets
from websockets.asyncio.client import connect
from websockets.asyncio.server import broadcast
from websockets.asyncio.server import serve as ws_serve
import websockets.asyncio.client
import websockets.asyncio.server

SUBSCRIBERS = set()


async def subscriber(websocket):
    SUBSCRIBERS.add(websocket)
    try:
        await websocket.wait_closed()
    finally:
        SUBSCRIBERS.discard(websocket)


async def forward(uri):
    async with connect(uri) as upstream:
        async for event in upstream:
            broadcast(SUBSCRIBERS, event, raise_exceptions=False)


async def probe(path):
    async with websockets.asyncio.client.unix_connect(path) as ws:
        await ws.send("ping")


def make_server(port):
    return functools.partial(websockets.asyncio.server.serve, subscriber, "", port)


async def main():
    async with ws_serve(subscriber, "", 8080):
        await forward("wss://events.example.com/")
    server = await websockets.asyncio.server.unix_serve(subscriber, "/run/push.sock")
    await server.wait_closed()


def reconnecting(uri):
    import websockets as ws_lib

    return ws_lib.asyncio.client.connect(uri)


asyncio.run(main())
