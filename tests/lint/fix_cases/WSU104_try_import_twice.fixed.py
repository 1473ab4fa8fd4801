# wsu: target-version=13.0
"""alienpy: `import websockets` in a `try` (not an `ImportError` guard) and two calls
moved by separate units: the module import is added once, beside it."""

import sys

try:
    import websockets
    import websockets.asyncio.client
except Exception:
    sys.exit(1)


async def a(url):
    return await websockets.asyncio.client.unix_connect("/tmp/s.sock", url)


async def b(url):
    return await websockets.asyncio.client.connect(url)
