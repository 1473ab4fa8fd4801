"""Servers that accept both browsers and non-browser clients, with the pre-7.0 `""` origin."""

import asyncio

import websockets
from websockets.asyncio.server import serve

BROWSER_ORIGINS = ["https://app.example.com", "https://admin.example.com"]


async def handler(websocket):
    await websocket.send("welcome")


async def main() -> None:
    async with (
        serve(handler, "", 8001, origins=["https://app.example.com", None]),
        serve(handler, "", 8002, origins=(None, "https://admin.example.com")),
        serve(handler, "", 8003, origins=[*BROWSER_ORIGINS, None]),
    ):
        await asyncio.Future()


async def internal() -> None:
    server = await websockets.serve(
        handler,
        "127.0.0.1",
        9000,
        origins=[
            "http://localhost:3000",
            None,  # command-line tools send no Origin
        ],
    )
    await server.wait_closed()
