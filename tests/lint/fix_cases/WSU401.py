"""API client that authenticates its WebSocket connections with extra headers."""

import os

import websockets
from websockets.asyncio.client import connect

TOKEN = os.environ.get("API_TOKEN", "")


async def stream(uri: str) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with connect(uri, extra_headers=headers) as ws:
        async for message in ws:
            print(message)


async def anonymous(uri: str) -> str:
    async with connect(uri, extra_headers={"User-Agent": "feed-bot/2.1"}) as ws:
        return await ws.recv()


async def with_options(uri: str, trace_id: str) -> None:
    options = {"open_timeout": 5, "extra_headers": [("X-Trace-Id", trace_id)]}
    async with connect(uri, **options) as ws:
        await ws.send("hello")


async def traced(uri: str, trace_id: str | None) -> None:
    options: dict = {"open_timeout": 5}
    if trace_id:
        options["extra_headers"] = {"X-Trace-Id": trace_id}
    async with connect(uri, **options) as ws:
        await ws.send("traced")


async def tuned(uri: str, **kwargs) -> None:
    kwargs.setdefault("extra_headers", {"X-Client": "tuned"})
    async with websockets.connect(
        uri,
        max_size=2**22,
        extra_headers={"user-agent": f"feed-bot/{os.getpid()}"},
    ) as ws:
        await ws.send("tuned")
    async with websockets.connect(uri, **kwargs) as ws:
        await ws.send("defaults")


async def both(uri: str) -> None:
    # Both names given: renaming would repeat a keyword, so this gets a hint only.
    async with websockets.connect(uri, additional_headers={"A": "1"}, extra_headers={"B": "2"}) as ws:
        await ws.send("both")
