"""Echo server built on Autobahn|Python, with a smoke test that uses websockets.

Autobahn has its own WebSocketServerProtocol / WebSocketClientProtocol classes with
onConnect / onOpen / onMessage callbacks: subclassing them is not websockets' legacy API.
"""

import asyncio
import logging
import sys

from autobahn.asyncio.websocket import (
    WebSocketClientFactory,
    WebSocketClientProtocol,
    WebSocketServerFactory,
    WebSocketServerProtocol,
)
from autobahn.websocket.types import ConnectionDeny

from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

log = logging.getLogger("echo")

ALLOWED_PATHS = {"/echo", "/echo/"}


class EchoServerProtocol(WebSocketServerProtocol):
    def onConnect(self, request):
        log.info("client connecting: %s %s", request.peer, request.path)
        if request.path not in ALLOWED_PATHS:
            raise ConnectionDeny(404, "unknown path")
        if "echo.v1" in request.protocols:
            return "echo.v1"
        return None

    def onOpen(self):
        log.info("connection open (closed=%s)", self.closed if hasattr(self, "closed") else None)

    def onMessage(self, payload, isBinary):
        self.sendMessage(payload, isBinary)

    def onClose(self, wasClean, code, reason):
        log.info("closed clean=%s code=%s reason=%s", wasClean, code, reason)


class PingClientProtocol(WebSocketClientProtocol):
    def onOpen(self):
        self.sendMessage(b"hello from autobahn")

    def onMessage(self, payload, isBinary):
        log.info("autobahn client got %r", payload)
        self.sendClose(1000, "done")


async def smoke_test(url: str) -> bool:
    try:
        async with connect(url, subprotocols=["echo.v1"], open_timeout=5) as ws:
            await ws.send("ping")
            reply = await ws.recv()
            log.info("subprotocol=%s reply=%r", ws.subprotocol, reply)
            return reply == "ping"
    except InvalidStatus as exc:
        log.error("server refused: %d", exc.response.status_code)
        return False


def main() -> int:
    logging.basicConfig(level=logging.INFO)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    factory = WebSocketServerFactory("ws://127.0.0.1:9000")
    factory.protocol = EchoServerProtocol
    factory.setProtocolOptions(autoPingInterval=10, autoPingTimeout=3)
    server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", 9000))
    client_factory = WebSocketClientFactory("ws://127.0.0.1:9000/echo")
    client_factory.protocol = PingClientProtocol
    loop.run_until_complete(loop.create_connection(client_factory, "127.0.0.1", 9000))
    ok = loop.run_until_complete(smoke_test("ws://127.0.0.1:9000/echo"))
    server.close()
    loop.run_until_complete(server.wait_closed())
    loop.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
