"""A client whose socket attribute is typed with typing.cast, then set by a helper of
another module: the cast alone says it is a connection."""

import typing

from websockets.asyncio.client import ClientConnection
from websockets.protocol import State

from ._utils import open_socket


class Live:
    def __init__(self) -> None:
        self._socket = typing.cast(ClientConnection, None)

    async def start(self, uri: str) -> None:
        self._socket = await open_socket(uri)

    async def send(self, data: bytes) -> None:
        if self._socket.state is State.CLOSED:
            return
        await self._socket.send(data)

    def pretend_closed(self) -> None:
        # Test double: assigning the attribute gets a hint only.
        self._socket.closed = True
