"""A server that adds headers to its handshake responses with ``extra_headers``.

One server adds fixed headers (a mapping), another computes them from the request
(a callable taking ``(path, request_headers)``). Clients print what they got.

Manual: ``extra_headers`` on ``serve()`` with headers other than ``Server`` needs a
``process_response`` callable; WSU402 gives a hint only.
"""
# migration: manual
# rules: WSU101, WSU205, WSU401, WSU402
# expect-warning: websockets_impl.legacy is deprecated

import asyncio

from websockets.legacy.client import connect
from websockets.legacy.server import serve

STATIC = {"X-Served-By": "node-1", "Cache-Control": "no-store"}


def tenant_headers(path, request_headers):
    tenant = request_headers.get("X-Tenant", "public")
    return [("X-Tenant-Echo", tenant), ("X-Route", path)]


async def hello(websocket):
    await websocket.send("hello")


async def main():
    async with serve(hello, "127.0.0.1", 0, extra_headers=STATIC) as static, serve(
        hello, "127.0.0.1", 0, extra_headers=tenant_headers
    ) as dynamic:
        for server, name in [(static, "static"), (dynamic, "dynamic")]:
            uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1/stream"
            for tenant in ["acme", None]:
                headers = {"X-Tenant": tenant} if tenant else {}
                async with connect(uri, extra_headers=headers) as websocket:
                    await websocket.recv()
                    got = websocket.response_headers
                    print(
                        f"{name} tenant={tenant}:",
                        [
                            (key, got[key])
                            for key in ["X-Served-By", "Cache-Control", "X-Tenant-Echo", "X-Route"]
                            if key in got
                        ],
                    )


asyncio.run(main())
