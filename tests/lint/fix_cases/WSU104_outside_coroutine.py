# wsu: target-version=13.0
"""The new serve() raises RuntimeError when no event loop runs: a serve() made at module
level, or in a function no coroutine of the module calls, stays legacy; one made in a
function that only coroutines call moves."""

import asyncio

import websockets


async def echo(websocket):
    async for message in websocket:
        await websocket.send(message)


def listen(port):
    return websockets.serve(echo, "", port)


def public_factory(port):
    return websockets.serve(echo, "", port + 1)


async def main():
    async with listen(8765):
        await asyncio.sleep(1)


start_server = websockets.serve(echo, "", 8767)
asyncio.get_event_loop().run_until_complete(start_server)
