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
    async with serve(handler, "", 443, server_header=f"feed/{VERSION}"):
        await asyncio.Future()


async def hardened() -> None:
    def process_response(connection, request, response):
        # The legacy server added these headers to its handshake response only.
        if response.status_code == 101:
            response.headers.update(SECURITY_HEADERS)
        return response
    async with serve(handler, "", 8443, process_response=process_response):
        await asyncio.Future()


async def internal(port: int) -> None:
    server = await websockets.serve(
        handler,
        "127.0.0.1",
        port,
        server_header="internal",
        max_size=None,
    )
    await server.wait_closed()


async def cached() -> None:
    def process_response(connection, request, response):
        # The legacy server added these headers to its handshake response only.
        if response.status_code == 101:
            response.headers.update({"Cache-Control": "no-store"})
        return response
    async with serve(handler, "", 8080, process_response=process_response):
        await asyncio.Future()


def route_headers(path, request_headers):
    return {"X-Route": path, "X-Tenant": request_headers.get("X-Tenant", "public")}


async def routed() -> None:
    def process_response(connection, request, response):
        # The legacy server added these headers to its handshake response only.
        if response.status_code == 101:
            response.headers.update(route_headers(request.path, request.headers))
        return response
    async with serve(handler, "", 8081, process_response=process_response):
        await asyncio.Future()


def log_response(connection, request, response):
    print(response.status_code)


async def logged() -> None:
    def process_response(connection, request, response):
        # The legacy server added these headers to its handshake response only.
        if response.status_code == 101:
            response.headers.update(SECURITY_HEADERS)
        return log_response(connection, request, response)
    async with serve(
        handler, "", 8082, process_response=process_response
    ):
        await asyncio.Future()


async def branded() -> None:
    def process_response(connection, request, response):
        # The legacy server added these headers to its handshake response only.
        if response.status_code == 101:
            response.headers.update({"X-Frame-Options": "DENY"})
        return response
    async with serve(
        handler,
        "",
        8084,
        process_response=process_response,
        server_header=f"feed/{VERSION}",
    ):
        await asyncio.Future()


async def configured(options) -> None:
    # What `options` holds is unknown: a hint only.
    async with serve(handler, "", 8083, extra_headers=options.headers):
        await asyncio.Future()
