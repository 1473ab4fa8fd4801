# wsu: target-version=13.0
"""Options reach connect() through `**mapping`. Where every key is known here, the rules
read them and the call moves; where the keys come from callers (a parameter, an attribute
set from one, a dict updated from one), a legacy-only option there would break the new
call, so that call stays legacy."""

import websockets
import websockets.asyncio.client

TUNED = {"ping_interval": 10}


class Client:
    def __init__(self, uri, websocket_kwargs=None):
        self.uri = uri
        self.websocket_kwargs = websocket_kwargs or {}

    async def run(self):
        async with websockets.connect(self.uri, **self.websocket_kwargs) as ws:
            await ws.send("hi")


async def forward(uri, **kwargs):
    async with websockets.connect(uri, **kwargs) as ws:
        await ws.send("hi")


async def merged(uri, extra):
    options = {"max_size": 2**20}
    options.update(extra)
    async with websockets.connect(uri, **options) as ws:
        await ws.send("hi")


async def tuned(uri):
    async with websockets.asyncio.client.connect(uri, **TUNED) as ws:
        await ws.send("hi")


async def spread(uri, extra):
    options = {"max_size": 2**20}
    options.update({"ping_interval": 10, **extra})
    async with websockets.connect(uri, **options) as ws:
        await ws.send("hi")
