# wsu: target-version=13.1
"""Pinned to websockets 13.1; `transport.connect` cannot be moved, so nothing is."""

import asyncio
import functools

import websockets
from websockets import broadcast, connect
from websockets import serve as ws_serve

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
            broadcast(SUBSCRIBERS, event, False)


async def probe(path):
    async with websockets.unix_connect(path) as ws:
        await ws.send("ping")


def make_server(port):
    return functools.partial(websockets.serve, subscriber, "", port)


async def main():
    async with ws_serve(subscriber, "", 8080):
        await forward("wss://events.example.com/")
    server = await websockets.unix_serve(subscriber, "/run/push.sock")
    await server.wait_closed()


def reconnecting(uri):
    import websockets as ws_lib

    return ws_lib.connect(uri)


transport = websockets  # the tests swap in a fake module
CONNECT = transport.connect  # what every connection of the module is opened with


async def heartbeat(uri):
    async with transport.connect(uri) as ws:
        await ws.ping()


asyncio.run(main())
