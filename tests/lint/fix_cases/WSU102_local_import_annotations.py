"""A function imports a legacy name its own string annotation names; a module-level
annotation names a class of the module that happens to share the name: only the function's
annotation is renamed with its import."""

import asyncio


class WebSocketServer:
    """This module's own server registry."""


class Hub:
    opened: "asyncio.Future[WebSocketServer]"


def start(handler) -> None:
    from websockets.server import WebSocketServer

    server: "WebSocketServer | None" = None
    print(WebSocketServer, server, handler)
