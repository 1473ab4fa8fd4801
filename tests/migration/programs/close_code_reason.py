"""A client that explains why the server hung up, from ``ConnectionClosed.code`` / ``.reason``.

The server closes with an application code and reason, normally, or by failing.
"""
# migration: auto
# rules: WSU101, WSU208
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: ConnectionClosed.code is deprecated
# expect-warning: ConnectionClosed.reason is deprecated

import asyncio
import logging

from websockets.exceptions import ConnectionClosed
from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def handler(websocket):
    command = await websocket.recv()
    if command == "maintenance":
        await websocket.close(4000, "down for maintenance")
    elif command == "done":
        await websocket.close()
    else:
        raise RuntimeError(f"cannot handle {command}")


class ServerLog(logging.Handler):
    """Keep what the server logs, without tracebacks, to print it at the end."""

    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        line = f"{record.name} {record.levelname} {record.getMessage()}"
        if record.exc_info:
            line += f" ({record.exc_info[0].__name__}: {record.exc_info[1]})"
        self.lines.append(line)


async def main():
    server_log = ServerLog()
    logging.getLogger("websockets.server").addHandler(server_log)
    async with serve(handler, "127.0.0.1", 0) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        for command in ["maintenance", "done", "explode"]:
            async with connect(uri) as websocket:
                await websocket.send(command)
                try:
                    await websocket.recv()
                except ConnectionClosed as exc:
                    code, reason = exc.code, exc.reason
                    print(f"{command}: {type(exc).__name__} code={code} reason={reason!r}")
    print("server log:", *server_log.lines, sep="\n  ")


asyncio.run(main())
