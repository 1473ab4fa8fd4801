"""response_headers.py migrated by hand: ``process_response`` adds the headers."""

import asyncio

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

STATIC = {"X-Served-By": "node-1", "Cache-Control": "no-store"}


def add_static_headers(connection, request, response):
    response.headers.update(STATIC)
    return response


def add_tenant_headers(connection, request, response):
    tenant = request.headers.get("X-Tenant", "public")
    response.headers["X-Tenant-Echo"] = tenant
    response.headers["X-Route"] = request.path
    return response


async def hello(websocket):
    await websocket.send("hello")


async def main():
    async with serve(
        hello, "127.0.0.1", 0, process_response=add_static_headers
    ) as static, serve(hello, "127.0.0.1", 0, process_response=add_tenant_headers) as dynamic:
        for server, name in [(static, "static"), (dynamic, "dynamic")]:
            uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1/stream"
            for tenant in ["acme", None]:
                headers = {"X-Tenant": tenant} if tenant else {}
                async with connect(uri, additional_headers=headers) as websocket:
                    await websocket.recv()
                    got = websocket.response.headers
                    print(
                        f"{name} tenant={tenant}:",
                        [
                            (key, got[key])
                            for key in ["X-Served-By", "Cache-Control", "X-Tenant-Echo", "X-Route"]
                            if key in got
                        ],
                    )


asyncio.run(main())
