"""Commented multi-line calls: removing `loop=` must keep the neighbours' comments."""

import asyncio

from websockets.asyncio.client import connect


async def subscribe(uri: str) -> None:
    async with connect(
        uri,  # from the service registry
        loop=asyncio.get_running_loop(),
        compression=None,  # the feed is already compressed
    ) as ws:
        await ws.send("subscribe")


async def resubscribe(uri: str) -> None:
    async with connect(
        uri,
        compression=None,  # the feed is already compressed
        loop=asyncio.get_running_loop(),
    ) as ws:
        await ws.send("resubscribe")


async def configured(uri: str) -> None:
    options = {"loop": asyncio.get_running_loop()}
    async with connect(uri, **options) as ws:
        await ws.send("configured")
