"""topicsync's debugger: `process_request` serves files over plain HTTP, an image among
them, with its own `Content-Type` and `Content-Length`. The fix must keep the bytes as
they are (`respond()` takes text and encodes it) and the answer's headers in place of
those `respond()` sets: one `Content-Length`, the image's `Content-Type`.
"""
# migration: auto
# rules: WSU101, WSU302
# expect-warning: websockets_impl.legacy is deprecated

import asyncio
import http

from websockets.legacy.server import serve

FILES = {"/logo.png": (b"\x89PNG\r\n\x1a\n\x00\xff", "image/png")}


async def serve_files(path, request_headers):
    if path in FILES:
        body, kind = FILES[path]
        return (
            http.HTTPStatus.OK,
            [("Content-Type", kind), ("Content-Length", str(len(body)))],
            body,
        )


async def handler(websocket):
    await websocket.send("hi")


async def http_get(port, path):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
    )
    status_line = (await reader.readline()).decode().rstrip()
    headers = []
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        headers.append((name.strip().lower(), value.strip()))
    lengths = [value for name, value in headers if name == "content-length"]
    body = await reader.readexactly(int(lengths[0]))
    writer.close()
    await writer.wait_closed()
    kinds = [value for name, value in headers if name == "content-type"]
    return status_line, lengths, kinds, body


async def main():
    async with serve(handler, "127.0.0.1", 0, process_request=serve_files) as server:
        port = server.sockets[0].getsockname()[1]
        print(*await http_get(port, "/logo.png"))


asyncio.run(main())
