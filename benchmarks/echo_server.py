"""Echo server process for the echo benchmark.

``python -m benchmarks.echo_server IMPL [deflate]`` listens on 127.0.0.1 on a free port,
prints ``PORT <n>`` once it accepts connections, and runs until its standard input
closes. With ``deflate``, permessage-deflate is negotiated with its default settings;
without, compression is off.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from benchmarks.echo_impls import IMPLEMENTATIONS

MAX_SIZE = 2**22


async def echo(websocket: Any) -> None:
    async for message in websocket:
        await websocket.send(message)


async def serve_until_stdin_closes(name: str, deflate: bool = False) -> None:
    serve, _ = IMPLEMENTATIONS[name].load()
    loop = asyncio.get_running_loop()
    options: dict[str, Any] = {"max_size": MAX_SIZE}
    if not deflate:
        options["compression"] = None
    async with serve(echo, "127.0.0.1", 0, **options) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"PORT {port}", flush=True)
        # The parent closes our stdin to stop us; reading it must not block the loop.
        await loop.run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    asyncio.run(serve_until_stdin_closes(sys.argv[1], deflate=sys.argv[2:] == ["deflate"]))
