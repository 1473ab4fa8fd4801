# wsu: target-version=13.0
"""janus-client: the connection attribute is annotated in the class body and filled in a
method by a `connect()` that stays legacy (given its caller's `**kwargs`): the annotation
stays with that call."""

import websockets


class Transport:
    ws: websockets.WebSocketClientProtocol

    async def connect(self, url: str, **kwargs: object) -> None:
        self.ws = await websockets.connect(url, **kwargs)
