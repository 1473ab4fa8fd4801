"""Client that inspects the server's handshake response."""

import asyncio
import logging

from websockets.asyncio.client import ClientConnection, connect

log = logging.getLogger(__name__)


def server_name(ws: ClientConnection) -> str:
    return ws.response.headers.get("Server", "unknown")


def negotiated(ws: ClientConnection) -> list[str]:
    return ws.response.headers.get_all("Sec-WebSocket-Extensions")


class Session:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.session_id = ws.response.headers["X-Session-Id"]

    def describe(self) -> str:
        headers = dict(self.ws.response.headers.raw_items())
        return f"{self.session_id} via {self.ws.response.headers['Via']} ({len(headers)})"


async def main(uri: str) -> None:
    async with connect(uri) as ws:
        log.info("connected to %s", server_name(ws))
        if "permessage-deflate" in ws.response.headers.get("Sec-WebSocket-Extensions", ""):
            log.info("compression on")
        session = Session(ws)
        print(session.describe(), negotiated(ws))


asyncio.run(main("wss://example.com/"))


def forget_headers(ws: ClientConnection) -> None:
    # Assigning the attribute gets a hint only.
    ws.response_headers = None
