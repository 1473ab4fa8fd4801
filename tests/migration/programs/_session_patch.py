"""Patches the legacy ``Connect.__aiter__`` to stop on HTTP 404 (an expired session).

No call here: the connections are made by the modules importing this one. The patch is
legacy code no fix moves, so the exception rename in it is held back with it.
"""

import asyncio

import websockets.legacy.client
from websockets.exceptions import InvalidStatusCode


class SessionExpired(Exception):
    pass


async def __aiter__(self):
    while True:
        try:
            async with self as protocol:
                yield protocol
        except InvalidStatusCode as exc:
            if exc.status_code == 404:
                raise SessionExpired(f"HTTP {exc.status_code}") from exc
            await asyncio.sleep(0)


websockets.legacy.client.Connect.__aiter__ = __aiter__
