# wsu: target-version=13.1
"""e2b: the legacy `connect()` bound to a name, tuned (its `BACKOFF_*` attributes), then
iterated by `async for`: a reconnect loop like one over the call itself, so it stays
legacy (the new loop stops on errors the legacy one retried)."""

from websockets import connect


async def run(url):
    connector = connect(url)
    connector.BACKOFF_MIN = 0.1
    async for ws in connector:
        await ws.send("hi")
        return await ws.recv()
