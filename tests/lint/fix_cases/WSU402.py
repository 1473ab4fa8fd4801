"""Servers that brand and harden their handshake responses with extra headers."""

import asyncio

import websockets
from websockets.asyncio.server import serve

SECURITY_HEADERS = [("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff")]
VERSION = "3.2.1"


async def handler(websocket):
    async for message in websocket:
        await websocket.send(message)


async def public() -> None:
    async with serve(handler, "", 443, extra_headers={"Server": f"feed/{VERSION}"}):
        await asyncio.Future()


async def hardened() -> None:
    async with serve(handler, "", 8443, extra_headers=SECURITY_HEADERS):
        await asyncio.Future()


async def internal(port: int) -> None:
    server = await websockets.serve(
        handler,
        "127.0.0.1",
        port,
        extra_headers={"server": "internal"},
        max_size=None,
    )
    await server.wait_closed()


async def cached() -> None:
    async with serve(handler, "", 8080, extra_headers={"Cache-Control": "no-store"}):
        await asyncio.Future()


def route_headers(path, request_headers):
    return {"X-Route": path, "X-Tenant": request_headers.get("X-Tenant", "public")}


async def routed() -> None:
    async with serve(handler, "", 8081, extra_headers=route_headers):
        await asyncio.Future()


def log_response(connection, request, response):
    print(response.status_code)


async def logged() -> None:
    async with serve(
        handler, "", 8082, extra_headers=SECURITY_HEADERS, process_response=log_response
    ):
        await asyncio.Future()


async def branded() -> None:
    async with serve(
        handler,
        "",
        8084,
        extra_headers={"Server": f"feed/{VERSION}", "X-Frame-Options": "DENY"},
    ):
        await asyncio.Future()


async def configured(options) -> None:
    # What `options` holds is unknown: a hint only.
    async with serve(handler, "", 8083, extra_headers=options.headers):
        await asyncio.Future()
