"""A module without calls that keeps a legacy object (here the factory it may call): the
`.open` fix waits with it, whatever the annotation says."""

from typing import Callable, Optional

import websockets.legacy.client
from websockets.asyncio.client import ClientConnection


class Client:
    def __init__(self, proxy_connect=None):
        self._connect: Callable = proxy_connect or websockets.legacy.client.Connect
        self._ws: Optional[ClientConnection] = None

    @property
    def connected(self) -> bool:
        return self._ws is not None and self._ws.open
