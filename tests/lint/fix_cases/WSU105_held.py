"""A module patching the legacy Connect: its exception renames are held back with it."""

import websockets.legacy.client
from websockets.exceptions import InvalidStatusCode


async def __aiter__(self):
    while True:
        try:
            async with self as protocol:
                yield protocol
        except InvalidStatusCode as exc:
            if exc.status_code == 404:
                raise


websockets.legacy.client.Connect.__aiter__ = __aiter__
