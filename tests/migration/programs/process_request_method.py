"""``process_request`` as a bound method of an application object, aborting by keyword.

``Gateway.check`` is passed as ``process_request=gateway.check``. It serves a JSON status
page whose body is built with ``json.dumps(...).encode()`` and refuses banned clients with
``AbortHandshake(status=..., headers=..., body=...)``. The fix rewrites the method's
parameters after ``self`` and turns both answers into ``connection.respond(...)``.
"""
# migration: auto
# rules: WSU101, WSU105, WSU302
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: AbortHandshake is deprecated

import asyncio
import http
import json

from websockets.exceptions import AbortHandshake
from websockets.legacy.client import connect
from websockets.legacy.server import serve


class Gateway:
    def __init__(self, banned):
        self.banned = banned
        self.seen = 0

    async def check(self, path, request_headers):
        self.seen += 1
        if path == "/status":
            body = json.dumps({"seen": self.seen}).encode()
            return http.HTTPStatus.OK, [("Content-Type", "application/json")], body
        if request_headers.get("User-Agent", "").startswith(tuple(self.banned)):
            raise AbortHandshake(
                status=http.HTTPStatus.FORBIDDEN, headers={"X-Reason": "banned"}, body=b"no\n"
            )


async def hello(websocket):
    await websocket.send("hello")


async def http_get(port, path):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    status_line = (await reader.readline()).decode().rstrip()
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers["content-length"]))
    writer.close()
    await writer.wait_closed()
    return status_line, headers, body


async def main():
    gateway = Gateway(banned=["curl/"])
    async with serve(hello, "127.0.0.1", 0, process_request=gateway.check) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}/", user_agent_header="app/1") as websocket:
            print("app:", await websocket.recv())
        try:
            async with connect(f"ws://127.0.0.1:{port}/", user_agent_header="curl/8"):
                pass
        except Exception as exc:
            print("curl: rejected,", "403" in str(exc))
        status_line, headers, body = await http_get(port, "/status")
        print(status_line, headers["content-type"], body)


asyncio.run(main())
