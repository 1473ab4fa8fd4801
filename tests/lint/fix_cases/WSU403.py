"""Servers started with the handler passed by keyword, as the legacy `serve()` named it."""

import asyncio
import functools

import websockets
from websockets.asyncio.server import serve, unix_serve


async def echo(websocket):
    async for message in websocket:
        await websocket.send(message)


async def greet(greeting, websocket):
    await websocket.send(greeting)


async def main() -> None:
    options = {"ws_handler": echo, "host": "localhost", "port": 8001}
    async with (
        serve(ws_handler=echo, host="localhost", port=8000),
        serve(**options),
        unix_serve(ws_handler=functools.partial(greet, "hi"), path="/run/greet.sock"),
    ):
        await asyncio.Future()


async def legacy_style(port: int) -> None:
    server = await websockets.serve(
        ws_handler=echo,
        host="",
        port=port,
    )
    await server.wait_closed()
