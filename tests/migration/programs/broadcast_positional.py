"""Broadcasting with ``raise_exceptions`` passed positionally, as the legacy API allowed.

``broadcast(connections, message, True)``: the legacy ``broadcast`` takes
``raise_exceptions`` as its third positional parameter; the new one only by keyword.
The server logs what goes wrong; the program prints the log at the end.
"""
# migration: auto
# rules: WSU101
# expect-warning: websockets_impl.legacy is deprecated

import asyncio
import logging

from websockets.legacy.client import connect
from websockets.legacy.server import broadcast, serve

CONNECTIONS = set()


class ServerLog(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        line = f"{record.name} {record.levelname} {record.getMessage()}"
        if record.exc_info:
            line += f" ({record.exc_info[0].__name__})"
        self.lines.append(line)


async def relay(websocket):
    CONNECTIONS.add(websocket)
    try:
        async for message in websocket:
            broadcast(CONNECTIONS, message, True)
    finally:
        CONNECTIONS.discard(websocket)


async def main():
    server_log = ServerLog()
    logging.getLogger("websockets.server").addHandler(server_log)
    async with serve(relay, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        async with connect(uri) as websocket:
            await websocket.send("alert: disk full")
            try:
                print("received:", await websocket.recv())
            except Exception as exc:
                print("receiving failed:", type(exc).__name__)
        print("closed with", websocket.close_code)
    print("server log:", server_log.lines)


asyncio.run(main())
